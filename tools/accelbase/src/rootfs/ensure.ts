// Bootstrapping the rootfs tarballs a build needs: every suite x arch asked for, or only the missing ones.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { archOf } from '../catalog/platform.js';
import { info } from '../log.js';
import { rootfsTarball } from '../render/bake-file.js';
import { buildRootfs } from './rootfs.js';

export async function rootfsForSuites(root: string, suites: string[], arches: string[]) {
  const out = [];
  for (const suite of suites) {
    for (const arch of arches) {
      const outFile = join(root, rootfsTarball(suite, arch));
      info(`rootfs ${suite} ${arch} -> ${outFile}`);
      out.push({ suite, arch, ...(await buildRootfs({ suite, arch, outFile })) });
    }
  }
  return out;
}

/** Bootstrap the tarballs a minideb build of `dist` needs for `platforms` that are not there yet. */
export async function ensureRootfs(root: string, dist: string, platforms: string[]): Promise<void> {
  const missing = platforms.map(archOf).filter((a) => !existsSync(join(root, rootfsTarball(dist, a))));
  if (missing.length) await rootfsForSuites(root, [dist], missing);
}
