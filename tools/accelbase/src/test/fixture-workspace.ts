// Test helper: a throwaway workspace on the frozen November catalog (test/fixtures/catalog-2026-11:
// catalog, lock and device queries) with this checkout's templates, never the shipped catalog, so
// the tests that use it hold whatever a maintainer adds to catalog.yaml.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './clone.js';
import { frozenCatalogRoot } from './frozen-catalog.js';

/** A temp dir holding the fixture workspace; `edit` rewrites its catalog.yaml text first. */
export function fixtureWorkspace(prefix: string, edit: (catalog: string) => string = (t) => t): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(frozenCatalogRoot, dir, { recursive: true });
  // This checkout's generators (templates, minideb's helper, compute probes), the fixture's device queries.
  cpSync(join(repoRoot, 'generators'), join(dir, 'generators'), {
    recursive: true,
    filter: (src) => src !== join(repoRoot, 'generators', 'device-queries'),
  });
  const catalog = join(dir, 'catalog.yaml');
  writeFileSync(catalog, edit(readFileSync(catalog, 'utf8')));
  return dir;
}

/** `git init` and one commit of everything in `dir` (for `affected` and `diff`). */
export function commitAll(dir: string, message = 'fixture'): void {
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', ...args], {
      cwd: dir,
      stdio: 'pipe',
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', message);
}
