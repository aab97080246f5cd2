// Test helper: a git clone of this repository that runs this checkout's built CLI and Nx plugin.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, linkSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../exec.js';
import { rootfsTarball } from '../rootfs/paths.js';

export const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');

export function cloneRepo(prefix: string): string {
  const clone = mkdtempSync(join(tmpdir(), prefix));
  execFileSync('git', ['clone', '-q', repoRoot, clone]);
  symlinkSync(join(repoRoot, 'node_modules'), join(clone, 'node_modules'));
  symlinkSync(join(repoRoot, 'tools', 'accelbase', 'dist'), join(clone, 'tools', 'accelbase', 'dist'));
  writeFileSync(join(clone, '.git', 'info', 'exclude'), 'node_modules\ntools/accelbase/dist\n.nx\n.accelbase\n');
  return clone;
}

/**
 * Give a test workspace the repository's minideb root filesystems for `suite` (hard links, else
 * copies) where the repository has them, so its build need not bootstrap them again.
 */
export function shareRootfs(dir: string, suite: string, arches: readonly string[]): void {
  for (const arch of arches) {
    const tarball = rootfsTarball(suite, arch);
    if (!existsSync(join(repoRoot, tarball))) continue;
    mkdirSync(join(dir, tarball, '..'), { recursive: true });
    try {
      linkSync(join(repoRoot, tarball), join(dir, tarball));
    } catch {
      cpSync(join(repoRoot, tarball), join(dir, tarball));
    }
  }
}

/**
 * `accelbase ARGS --catalog <dir>/catalog.yaml`, run in `dir()` with this checkout's built CLI, as the
 * engine tests run it: failures are returned, not thrown, and a build may take 30 minutes.
 */
export const workspaceCli =
  (dir: () => string) =>
  (...args: string[]) =>
    run(
      'node',
      [join(repoRoot, 'tools', 'accelbase', 'bin', 'accelbase.js'), ...args, '--catalog', join(dir(), 'catalog.yaml')],
      {
        cwd: dir(),
        allowFailure: true,
        timeoutMs: 30 * 60_000,
      },
    );
