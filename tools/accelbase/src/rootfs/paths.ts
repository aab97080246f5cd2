// Where root filesystems live: the tarballs in the workspace (the minideb build context), the cached
// bootstraps and work folders under the engine home, and the install_packages script shipped in them.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rootfsDir } from '../catalog/workspace-paths.js';
import { UserError } from '../errors.js';
import { sha256Hex } from '../lib/fs.js';

/** One architecture's tarball in that folder, as the minideb Dockerfile ADDs it. */
export const rootfsTarball = (dist: string, arch: string) => `${rootfsDir(dist)}/rootfs-${arch}.tar`;

/** What was built into that tarball (its SOURCE_DATE_EPOCH), written beside it. */
export const rootfsFacts = (dist: string, arch: string) => `${rootfsDir(dist)}/rootfs-${arch}.json`;

/** Untrimmed bootstraps, kept between builds (see cacheName). */
export const rootfsCacheDir = (home: string) => join(home, 'rootfs-cache');

/** Per-build scratch folders; debootstrap mounts /proc and /sys inside them while it runs. */
export const rootfsWorkDir = (home: string) => join(home, 'rootfs-work');

/** A cached bootstrap's file name: everything that changes its content is in it (the mirror as a hash). */
export function cacheName(o: { suite: string; arch: string; mirror: string; release: number; epoch: number }): string {
  const mirrorId = sha256Hex(o.mirror.replace(/\/+$/, '')).slice(0, 12);
  return `${o.suite}-${o.arch}-${mirrorId}-${o.release}-${o.epoch}.tar`;
}

/** The script installed as /usr/sbin/install_packages (generators/minideb/install_packages). */
export function installPackagesScript(): string {
  // The package runs from src/, dist/ or the bench build: the repository's generators/ is above it.
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const script = join(dir, 'generators', 'minideb', 'install_packages');
    if (existsSync(script)) return script;
  }
  throw new UserError('generators/minideb/install_packages is not above the accelbase package');
}
