// Packages debootstrap's minbase installs that minideb leaves out: nothing in the base needs them, and
// `install_packages NAME` brings each back whole. Purged with the tree's own dpkg, so its database,
// debconf and maintainer scripts agree. dpkg refuses to purge a package something installed depends
// on: that one stays (a suite whose base needs it keeps it), and the step says so.
import { existsSync } from 'node:fs';
import { UserError } from '../errors.js';
import { run, tail } from '../exec.js';
import { insideRoot, treeTarBytes } from './tree.js';
import type { TrimStep } from './trim.js';

export interface LeftOut {
  what: string;
  /** In the order dpkg can purge them: dependents first. */
  packages: readonly string[];
}

export const LEFT_OUT: readonly LeftOut[] = [
  { what: 'tzdata (without it and /etc/localtime, glibc and Python use UTC)', packages: ['tzdata'] },
  {
    what: 'e2fsprogs and its libraries (a container never makes or checks a filesystem)',
    packages: ['e2fsprogs', 'logsave', 'libext2fs2', 'libss2', 'libcom-err2'],
  },
  // Docker mounts a container's filesystems; nothing in the base calls mount(8).
  { what: 'mount (mount and umount: Docker mounts what a container sees)', packages: ['mount'] },
];

const installed = (root: string, name: string) => {
  for (const file of [`${name}.list`, `${name}:amd64.list`, `${name}:arm64.list`]) {
    const p = insideRoot(root, `var/lib/dpkg/info/${file}`);
    if (p && existsSync(p)) return true;
  }
  return false;
};

export async function purgeLeftOut(
  root: string,
  epoch: number,
  groups: readonly LeftOut[] = LEFT_OUT,
): Promise<TrimStep[]> {
  const steps: TrimStep[] = [];
  for (const group of groups) {
    const before = treeTarBytes(root);
    const kept: string[] = [];
    for (const name of group.packages) {
      if (!installed(root, name)) continue;
      const r = await run('chroot', [root, 'dpkg', '--purge', name], {
        env: {
          DEBIAN_FRONTEND: 'noninteractive',
          LC_ALL: 'C',
          SOURCE_DATE_EPOCH: String(epoch),
          PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
        },
        allowFailure: true,
        timeoutMs: 10 * 60_000,
      });
      if (r.exitCode === 0) continue;
      if (/dependency problems/.test(`${r.stdout}\n${r.stderr}`)) kept.push(name);
      else
        throw new UserError(
          `rootfs: dpkg --purge ${name} in the tree failed (exit ${r.exitCode})\n${tail(r.stderr || r.stdout, 15)}`,
        );
    }
    steps.push({
      step: `package ${group.what}${kept.length ? `; kept, needed: ${kept.join(', ')}` : ''}`,
      bytes: before - treeTarBytes(root),
    });
  }
  return steps;
}
