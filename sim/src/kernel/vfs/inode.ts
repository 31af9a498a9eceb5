/**
 * Inodes and directory entries of a small in-memory filesystem.
 * Upstream: Linux `include/linux/fs.h` (`struct inode`: i_mode, i_uid,
 * i_gid, i_rdev; `struct dentry`: a name in a parent directory pointing at
 * an inode). Here a directory inode holds its dentries as `children`
 * (name → inode). File modes keep the permission bits (07777); the file
 * type is `kind`.
 */
export type FileKind = 'file' | 'dir' | 'symlink' | 'chardev';

export interface Inode {
  ino: number;
  kind: FileKind;
  /** Permission bits, 0 … 0o7777. */
  mode: number;
  uid: number;
  gid: number;
  /** File contents, or a symlink's target. */
  data: string;
  /** Device number of a character device: [major, minor]. */
  rdev?: [number, number];
  /** Extended attributes, e.g. `trusted.overlay.opaque` = "y". */
  xattrs: Map<string, string>;
  /** A directory's entries (dentries): name → inode. */
  children?: Map<string, Inode>;
}

export interface InodeAttrs {
  mode?: number;
  uid?: number;
  gid?: number;
  data?: string;
  rdev?: [number, number];
}

export const DEFAULT_DIR_MODE = 0o755;
export const DEFAULT_FILE_MODE = 0o644;

export function formatMode(kind: FileKind, mode: number): string {
  const t = kind === 'dir' ? 'd' : kind === 'symlink' ? 'l' : kind === 'chardev' ? 'c' : '-';
  const bits = 'rwxrwxrwx';
  let s = t;
  for (let i = 0; i < 9; i++) s += mode & (1 << (8 - i)) ? bits[i] : '-';
  return s;
}
