// File operations inside a root filesystem tree that never follow a symlink out of it: debootstrap
// trees hold absolute links such as /var/run -> /run that would point at the host.
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../errors.js';

/** Real builds run as root (debootstrap needs it); the unit tests trim a small tree as any user. */
export const isRoot = (): boolean => process.getuid?.() === 0;

/** `root/rel` when no component below root is a symlink; undefined when one is or a component is missing. */
export function insideRoot(root: string, rel: string): string | undefined {
  let cur = root;
  for (const part of rel.split('/').filter(Boolean)) {
    if (part === '..' || part === '.') return undefined;
    cur = join(cur, part);
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(cur);
    } catch {
      return cur === join(root, rel) ? cur : undefined;
    }
    if (st.isSymbolicLink() && cur !== join(root, rel)) return undefined;
  }
  return cur;
}

export function removeInRoot(root: string, rel: string): void {
  const p = insideRoot(root, rel);
  if (p && existsSync(p)) rmSync(p, { recursive: true, force: true });
  else if (p) {
    // A dangling symlink: existsSync follows it.
    try {
      if (lstatSync(p).isSymbolicLink()) rmSync(p, { force: true });
    } catch {
      /* not there */
    }
  }
}

/** Empty a folder of the tree (it stays), sparing the names in `keep`. */
export function emptyDirInRoot(root: string, rel: string, keep: readonly string[] = []): void {
  const p = insideRoot(root, rel);
  if (!p) return;
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(p);
  } catch {
    return;
  }
  if (!st.isDirectory()) return;
  for (const name of readdirSync(p)) if (!keep.includes(name)) rmSync(join(p, name), { recursive: true, force: true });
}

/** Write a file of the tree with an exact mode, owned by root when we are root. */
export function writeInRoot(root: string, rel: string, content: string | Buffer, mode = 0o644): void {
  const p = insideRoot(root, rel);
  if (!p) throw new UserError(`rootfs: /${rel} lies behind a symlink in the tree`);
  mkdirSync(dirname(p), { recursive: true });
  rmSync(p, { force: true });
  writeFileSync(p, content, { mode });
  chmodSync(p, mode);
  if (isRoot()) chownSync(p, 0, 0);
}

/** Remove every file below `dir`, keeping the folders. */
export function removeFilesBelow(dir: string): void {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = lstatSync(p);
    if (st.isDirectory()) removeFilesBelow(p);
    else rmSync(p, { force: true });
  }
}

/**
 * What a tree weighs as a tarball: a 512-byte header per entry and each file's data in 512-byte
 * blocks, hard links once. Trimming steps are measured by it, so their savings add up to the tarball's.
 */
export function treeTarBytes(dir: string, seen = new Set<string>()): number {
  let bytes = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = lstatSync(p);
    bytes += 512;
    if (st.isDirectory()) bytes += treeTarBytes(p, seen);
    else if (st.isFile()) {
      const inode = `${st.dev}:${st.ino}`;
      if (st.nlink > 1 && seen.has(inode)) continue;
      seen.add(inode);
      bytes += Math.ceil(st.size / 512) * 512;
    }
  }
  return bytes;
}
