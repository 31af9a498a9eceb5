/**
 * Absolute path handling: `/a/./b/../c` → ['a', 'c']. `..` never climbs
 * above `/`, as in the kernel's path walk at the root.
 */
export function splitPath(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out;
}

export function joinPath(parts: readonly string[]): string {
  return `/${parts.join('/')}`;
}

export function normalizePath(path: string): string {
  return joinPath(splitPath(path));
}

export const NAME_MAX = 255;
export const PATH_MAX = 4096;
