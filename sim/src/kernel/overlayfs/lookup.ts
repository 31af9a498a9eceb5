/**
 * ovl_lookup: finding a name through the layers.
 * Upstream: Linux `fs/overlayfs/namei.c` (v6.12+: `ovl_lookup`,
 * `ovl_lookup_single`: a whiteout stops the search and makes the name
 * absent; a non-directory stops it (it hides everything below); a
 * directory merges with directories below unless it is opaque;
 * `trusted.overlay.redirect` on an upper directory says where its lower
 * part lives) and `Documentation/filesystems/overlayfs.rst` ("Directories",
 * "whiteouts and opaque directories", "renaming directories").
 * Layers: `lowers[0]` is the top lower layer (leftmost in lowerdir=).
 */
import type { Inode } from '../vfs/inode.ts';
import { splitPath } from '../vfs/path.ts';

export const OVL_XATTR_OPAQUE = 'trusted.overlay.opaque';
export const OVL_XATTR_REDIRECT = 'trusted.overlay.redirect';
export const OVL_XATTR_WHITEOUT = 'trusted.overlay.whiteout';

/** A whiteout: a character device 0/0 (or a zero-size file with trusted.overlay.whiteout). */
export function isWhiteout(i: Inode): boolean {
  return (i.kind === 'chardev' && i.rdev?.[0] === 0 && i.rdev?.[1] === 0) || (i.kind === 'file' && i.data === '' && i.xattrs.has(OVL_XATTR_WHITEOUT));
}

export function isOpaque(i: Inode): boolean {
  return i.kind === 'dir' && i.xattrs.get(OVL_XATTR_OPAQUE) === 'y';
}

export interface LowerRef {
  layer: number;
  inode: Inode;
}

/** What one overlay dentry stands for. */
export interface OvlEntry {
  upper?: Inode;
  /** Lower inodes, top first; more than one only for merged directories. */
  lowers: LowerRef[];
}

export interface ChildLookup {
  entry?: OvlEntry;
  /** The upper layer holds a whiteout for this name (ovl_dentry_is_whiteout). */
  upperWhiteout: boolean;
}

export interface LayerRoots {
  upper?: Inode;
  lowers: Inode[];
}

export function rootEntry(roots: LayerRoots): OvlEntry {
  const e: OvlEntry = { lowers: roots.lowers.map((inode, layer) => ({ layer, inode })) };
  if (roots.upper) e.upper = roots.upper;
  return e;
}

export function kindOf(e: OvlEntry): Inode {
  return e.upper ?? e.lowers[0]!.inode;
}

/** Looks up `name` in the lower directories listed in `dirs` (top first). */
function lookupLowers(dirs: readonly LowerRef[], name: string, haveUpperDir: boolean): LowerRef[] {
  const out: LowerRef[] = [];
  for (const d of dirs) {
    const c = d.inode.children?.get(name);
    if (!c) continue;
    if (isWhiteout(c)) break;
    if (c.kind !== 'dir') {
      if (!haveUpperDir && out.length === 0) out.push({ layer: d.layer, inode: c });
      break;
    }
    out.push({ layer: d.layer, inode: c });
    if (isOpaque(c)) break;
  }
  return out;
}

/** The lower stack of an absolute path, ignoring the upper layer (for redirects). */
export function lookupLowerPath(roots: LayerRoots, path: string): LowerRef[] {
  let dirs: LowerRef[] = roots.lowers.map((inode, layer) => ({ layer, inode }));
  for (const name of splitPath(path)) {
    dirs = lookupLowers(dirs.filter((d) => d.inode.kind === 'dir'), name, false).filter((d) => d.inode.kind === 'dir');
    if (!dirs.length) break;
  }
  return dirs;
}

export function lookupChild(roots: LayerRoots, parent: OvlEntry, name: string, followRedirect: boolean): ChildLookup {
  let upper: Inode | undefined;
  let stop = false;
  let lowerDirs = parent.lowers.filter((l) => l.inode.kind === 'dir');
  if (parent.upper && parent.upper.kind === 'dir') {
    const u = parent.upper.children!.get(name);
    if (u) {
      if (isWhiteout(u)) return { upperWhiteout: true };
      upper = u;
      if (u.kind !== 'dir' || isOpaque(u)) stop = true;
      const redirect = u.kind === 'dir' ? u.xattrs.get(OVL_XATTR_REDIRECT) : undefined;
      if (!stop && redirect !== undefined) {
        if (!followRedirect) stop = true;
        else {
          const lowers = lookupLowerPath(roots, redirect);
          return { entry: { upper: u, lowers }, upperWhiteout: false };
        }
      }
    }
  }
  const lowers = stop ? [] : lookupLowers(lowerDirs, name, upper !== undefined);
  if (!upper && !lowers.length) return { upperWhiteout: false };
  const entry: OvlEntry = { lowers };
  if (upper) entry.upper = upper;
  return { entry, upperWhiteout: false };
}

/**
 * ovl_lower_positive: does any lower layer (below the parent) still show a
 * real object with this name? If so, removing it needs a whiteout.
 */
export function lowerPositive(parent: OvlEntry, name: string): boolean {
  for (const d of parent.lowers) {
    if (d.inode.kind !== 'dir') continue;
    const c = d.inode.children?.get(name);
    if (!c) continue;
    return !isWhiteout(c);
  }
  return false;
}
