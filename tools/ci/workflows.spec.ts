import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { run } from '../accelbase/src/exec.js';

// The GitHub workflows cannot run here; they are linted with action-validator (GitHub's workflow
// schema, as WebAssembly) so a broken one fails this test.
const repoRoot = join(import.meta.dirname, '..', '..');
const validator = join(repoRoot, 'node_modules', '.bin', 'action-validator');
const workflows = readdirSync(join(repoRoot, '.github', 'workflows')).filter((f) => f.endsWith('.yml'));

test.each(workflows)('%s is a valid workflow', async (file) => {
  const r = await run(validator, [join(repoRoot, '.github', 'workflows', file)], { allowFailure: true });
  expect(r.exitCode, r.stdout + r.stderr).toBe(0);
});

test('the linter catches a broken workflow', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'workflow-'));
  const broken = readFileSync(join(repoRoot, '.github', 'workflows', 'pull-request.yml'), 'utf8')
    .replace('runs-on: ubuntu-latest', 'runs-on: [ubuntu-latest, { bad: 1 }]')
    .replace('    steps:', '    stepz:');
  writeFileSync(join(dir, 'pull-request.yml'), broken);
  const r = await run(validator, [join(dir, 'pull-request.yml')], { allowFailure: true });
  expect(r.exitCode).not.toBe(0);
});

test('the PR workflow builds what affected selects per platform on native runners, merges by digest, smoke-tests per platform', () => {
  const text = readFileSync(join(repoRoot, '.github', 'workflows', 'pull-request.yml'), 'utf8');
  expect(text).toContain('npx accelbase affected --base');
  expect(text).toContain('--push-by-digest --cache registry --results parts-${{ matrix.arch }}.json');
  expect(text).toContain('npx accelbase merge parts-*.json --json');
  expect(text).toContain('npx accelbase smoke --platform ${{ matrix.platform }}');
  expect(text).toContain('runner: ubuntu-24.04-arm');
  expect(text).not.toContain('setup-qemu-action');
  expect(text).toContain('ACCELBASE_REGISTRY: ${{ vars.CI_REGISTRY }}/pr-${{ github.event.pull_request.number }}');
});

test('the nightly: update, a native build per platform, merge, smoke per platform, then publish', () => {
  const text = readFileSync(join(repoRoot, '.github', 'workflows', 'nightly.yml'), 'utf8');
  const jobs = [...text.slice(text.indexOf('\njobs:')).matchAll(/^ {2}([a-z-]+):\n/gm)].map((m) => m[1]);
  expect(jobs).toEqual(['update', 'build', 'merge', 'smoke', 'publish']);
  for (const [job, needs] of [
    ['build', 'update'],
    ['merge', 'build'],
    ['smoke', 'merge'],
    ['publish', 'smoke'],
  ]) {
    expect(text).toMatch(new RegExp(`^  ${job}:\\n    needs: ${needs}$`, 'm'));
  }
  expect(text).not.toContain('setup-qemu-action');
  expect(text).toContain('npx accelbase publish --json');
});
