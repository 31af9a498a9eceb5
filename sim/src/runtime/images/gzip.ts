/**
 * gzip (RFC 1952) around DEFLATE "stored" blocks (RFC 1951 §3.2.4, BTYPE=00):
 * real gzip bytes that `gunzip` accepts, without a compressor. Layers in the
 * simulated registry are `application/vnd.oci.image.layer.v1.tar+gzip`, so a
 * layer's digest (over these bytes) differs from its diff_id (over the tar),
 * exactly as in a real image.
 * Invariants: stored blocks carry at most 65535 bytes; the trailer is the
 * CRC-32 (IEEE, reflected 0xEDB88320) and the input length mod 2^32, little-endian.
 */

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const MAX_STORED = 65535;

export function gzipStored(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / MAX_STORED));
  const out = new Uint8Array(10 + blocks * 5 + data.length + 8);
  // Header: magic, CM=8 (deflate), FLG=0, MTIME=0, XFL=0, OS=255 (unknown).
  out.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff], 0);
  let off = 10;
  for (let b = 0; b < blocks; b++) {
    const chunk = data.subarray(b * MAX_STORED, Math.min(data.length, (b + 1) * MAX_STORED));
    out[off++] = b === blocks - 1 ? 1 : 0; // BFINAL, BTYPE=00
    out[off++] = chunk.length & 0xff;
    out[off++] = chunk.length >>> 8;
    out[off++] = ~chunk.length & 0xff;
    out[off++] = (~chunk.length >>> 8) & 0xff;
    out.set(chunk, off);
    off += chunk.length;
  }
  const crc = crc32(data);
  const len = data.length >>> 0;
  out.set([crc & 0xff, (crc >>> 8) & 0xff, (crc >>> 16) & 0xff, crc >>> 24, len & 0xff, (len >>> 8) & 0xff, (len >>> 16) & 0xff, len >>> 24], off);
  return out;
}

/** Inverse of gzipStored (stored blocks only); undefined for anything else or a bad CRC. */
export function gunzipStored(gz: Uint8Array): Uint8Array | undefined {
  if (gz.length < 18 || gz[0] !== 0x1f || gz[1] !== 0x8b || gz[2] !== 8 || gz[3] !== 0) return undefined;
  const parts: Uint8Array[] = [];
  let off = 10;
  for (;;) {
    const hdr = gz[off++];
    if (hdr === undefined || (hdr & 6) !== 0) return undefined;
    const len = gz[off]! | (gz[off + 1]! << 8);
    off += 4;
    parts.push(gz.subarray(off, off + len));
    off += len;
    if (hdr & 1) break;
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const data = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    data.set(p, o);
    o += p.length;
  }
  const crc = (gz[off]! | (gz[off + 1]! << 8) | (gz[off + 2]! << 16) | (gz[off + 3]! << 24)) >>> 0;
  return crc === crc32(data) ? data : undefined;
}
