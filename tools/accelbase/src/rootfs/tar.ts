// The reproducible tarball: GNU tar run so that the same tree gives the same bytes every time.
import { run } from '../exec.js';

/**
 * GNU tar arguments for a reproducible archive of `dir`: sorted names, mtimes clamped to the epoch,
 * numeric owners, and pax headers without atime/ctime or the PID that GNU tar puts in their names.
 */
export function tarCreateArgs(dir: string, outFile: string, epoch: number, excludes: readonly string[] = []): string[] {
  return [
    '--create',
    '--file',
    outFile,
    '--format=posix',
    '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime',
    '--sort=name',
    `--mtime=@${epoch}`,
    '--clamp-mtime',
    '--numeric-owner',
    '--no-acls',
    '--no-xattrs',
    '--no-selinux',
    ...excludes.map((e) => `--exclude=${e}`),
    '--directory',
    dir,
    '.',
  ];
}

export function tarExtractArgs(tarFile: string, dir: string): string[] {
  return [
    '--extract',
    '--file',
    tarFile,
    '--directory',
    dir,
    '--numeric-owner',
    '--preserve-permissions',
    '--same-owner',
  ];
}

// The C locale: --sort=name must not depend on the host's collation.
const TAR_ENV = { LC_ALL: 'C' };

export async function createTar(
  dir: string,
  outFile: string,
  epoch: number,
  excludes: readonly string[] = [],
): Promise<void> {
  await run('tar', tarCreateArgs(dir, outFile, epoch, excludes), { env: TAR_ENV });
}

export async function extractTar(tarFile: string, dir: string): Promise<void> {
  await run('tar', tarExtractArgs(tarFile, dir), { env: TAR_ENV });
}
