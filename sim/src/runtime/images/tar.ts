/**
 * A minimal POSIX ustar writer and reader: an image layer is a tar archive of
 * the files it adds, changes or deletes (deletions are `.wh.<name>` whiteout
 * entries, an opaque directory is `.wh..wh..opq`).
 * Invariants: each entry is a 512-byte header plus data padded to 512 bytes;
 * the archive ends with two zero blocks; header checksum is the byte sum of
 * the header with the checksum field read as spaces.
 * Upstream: POSIX.1-2001 pax/ustar format; opencontainers/image-spec v1.1
 * `layer.md` (changesets, whiteouts, opaque whiteouts).
 */
import { utf8Bytes } from '../../core/sha256.ts';

export interface TarEntry {
  /** Path without a leading slash, e.g. `etc/os-release`; directories end without slash. */
  path: string;
  type: 'file' | 'dir' | 'symlink';
  content?: Uint8Array;
  linkTarget?: string;
  mode?: number;
}

const BLOCK = 512;

function writeOctal(buf: Uint8Array, offset: number, width: number, value: number): void {
  const s = value.toString(8).padStart(width - 1, '0');
  for (let i = 0; i < width - 1; i++) buf[offset + i] = s.charCodeAt(i);
  buf[offset + width - 1] = 0;
}

function writeString(buf: Uint8Array, offset: number, width: number, value: string): void {
  const bytes = utf8Bytes(value);
  buf.set(bytes.subarray(0, width), offset);
}

export function writeTar(entries: TarEntry[]): Uint8Array {
  let total = BLOCK * 2;
  for (const e of entries) total += BLOCK + Math.ceil((e.content?.length ?? 0) / BLOCK) * BLOCK;
  const out = new Uint8Array(total);
  let off = 0;
  for (const e of entries) {
    const h = out.subarray(off, off + BLOCK);
    const name = e.type === 'dir' ? `${e.path}/` : e.path;
    let prefix = '';
    let short = name;
    if (utf8Bytes(name).length > 100) {
      const cut = name.lastIndexOf('/', 154);
      prefix = name.slice(0, cut);
      short = name.slice(cut + 1);
    }
    writeString(h, 0, 100, short);
    writeOctal(h, 100, 8, e.mode ?? (e.type === 'dir' ? 0o755 : 0o644));
    writeOctal(h, 108, 8, 0); // uid
    writeOctal(h, 116, 8, 0); // gid
    const size = e.type === 'file' ? (e.content?.length ?? 0) : 0;
    writeOctal(h, 124, 12, size);
    writeOctal(h, 136, 12, 0); // mtime: reproducible builds use 0 (SOURCE_DATE_EPOCH)
    for (let i = 148; i < 156; i++) h[i] = 0x20;
    h[156] = e.type === 'dir' ? 0x35 : e.type === 'symlink' ? 0x32 : 0x30;
    if (e.linkTarget) writeString(h, 157, 100, e.linkTarget);
    writeString(h, 257, 6, 'ustar');
    h[262] = 0;
    writeString(h, 263, 2, '00');
    writeString(h, 345, 155, prefix);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += h[i]!;
    writeOctal(h, 148, 7, sum);
    h[155] = 0x20;
    off += BLOCK;
    if (size) {
      out.set(e.content!, off);
      off += Math.ceil(size / BLOCK) * BLOCK;
    }
  }
  return out;
}

function readString(buf: Uint8Array, offset: number, width: number): string {
  let end = offset;
  while (end < offset + width && buf[end] !== 0) end++;
  let s = '';
  for (let i = offset; i < end; i++) s += String.fromCharCode(buf[i]!);
  return s;
}

/** Reads entries back (ASCII names only, which is all the simulated images use). */
export function readTar(archive: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = [];
  let off = 0;
  while (off + BLOCK <= archive.length) {
    const h = archive.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break;
    const prefix = readString(h, 345, 155);
    let name = readString(h, 0, 100);
    if (prefix) name = `${prefix}/${name}`;
    const size = parseInt(readString(h, 124, 12) || '0', 8);
    const flag = h[156];
    const type = flag === 0x35 ? 'dir' : flag === 0x32 ? 'symlink' : 'file';
    off += BLOCK;
    const entry: TarEntry = { path: name.replace(/\/$/, ''), type, mode: parseInt(readString(h, 100, 8) || '0', 8) };
    if (type === 'file') entry.content = archive.slice(off, off + size);
    if (type === 'symlink') entry.linkTarget = readString(h, 157, 100);
    entries.push(entry);
    off += Math.ceil(size / BLOCK) * BLOCK;
  }
  return entries;
}
