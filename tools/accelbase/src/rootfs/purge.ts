// Packages debootstrap's minbase installs that minideb leaves out: nothing in the base needs them, and
// `install_packages NAME` brings each back whole. Purged with the tree's own dpkg, so its database,
// debconf and maintainer scripts agree; dpkg refuses when anything installed depends on one.
import { existsSync } from 'node:fs';
import { UserError } from '../errors.js';
import { run, tail } from '../exec.js';
import { insideRoot, treeTarBytes } from './tree.js';
import type { TrimStep } from './trim.js';

/** tzdata: /usr/share/zoneinfo; without it and /etc/localtime, glibc and Python use UTC. */
export const LEFT_OUT_PACKAGES = ['tzdata'] as const;

export async function purgeLeftOut(root: string, epoch: number, packages: readonly string[] = LEFT_OUT_PACKAGES): Promise<TrimStep[]> {
  const steps: TrimStep[] = [];
  for (const name of packages) {
    const list = insideRoot(root, `var/lib/dpkg/info/${name}.list`);
    if (!list || !existsSync(list)) continue;
    const before = treeTarBytes(root);
    const r = await run('chroot', [root, 'dpkg', '--purge', name], {
      env: { DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C', SOURCE_DATE_EPOCH: String(epoch), PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
      allowFailure: true,
      timeoutMs: 10 * 60_000,
    });
    if (r.exitCode !== 0) throw new UserError(`rootfs: dpkg --purge ${name} in the tree failed (exit ${r.exitCode})\n${tail(r.stderr || r.stdout, 15)}`);
    steps.push({ step: `package ${name} (install_packages ${name} brings it back)`, bytes: before - treeTarBytes(root) });
  }
  return steps;
}
