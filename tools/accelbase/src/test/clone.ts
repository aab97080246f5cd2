// Test helper: a git clone of this repository that runs this checkout's built CLI and Nx plugin.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');

export function cloneRepo(prefix: string): string {
  const clone = mkdtempSync(join(tmpdir(), prefix));
  execFileSync('git', ['clone', '-q', repoRoot, clone]);
  symlinkSync(join(repoRoot, 'node_modules'), join(clone, 'node_modules'));
  symlinkSync(join(repoRoot, 'tools', 'accelbase', 'dist'), join(clone, 'tools', 'accelbase', 'dist'));
  writeFileSync(join(clone, '.git', 'info', 'exclude'), 'node_modules\ntools/accelbase/dist\n.nx\n.accelbase\n');
  return clone;
}
