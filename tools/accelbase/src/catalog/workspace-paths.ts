// Where a workspace's files are, from the catalog's path alone: no parsing, so a command can look
// before it pays for loading the catalog (see render/stamp.ts).
import { basename, dirname, join, resolve } from 'node:path';

export interface Workspace {
  /** Folder holding catalog.yaml: images/, generators/ and the bake file are relative to it. */
  root: string;
  catalogFile: string;
  lockFile: string;
}

export function workspaceFor(catalogPath = 'catalog.yaml', cwd = process.cwd()): Workspace {
  const catalogFile = resolve(cwd, catalogPath);
  const root = dirname(catalogFile);
  return { root, catalogFile, lockFile: join(root, `${basename(catalogFile).replace(/\.ya?ml$/, '')}.lock.yaml`) };
}

/** Where `accelbase rootfs` writes a suite's tarballs (the minideb build context), relative to the root. */
export const rootfsDir = (dist: string) => `.accelbase/rootfs/${dist}`;
