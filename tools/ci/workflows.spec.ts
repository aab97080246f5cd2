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
  const broken = readFileSync(join(repoRoot, '.github', 'workflows', 'pull-request.yml'), 'utf8').replace('runs-on: ubuntu-latest', 'runs-on: [ubuntu-latest, { bad: 1 }]').replace('    steps:', '    stepz:');
  writeFileSync(join(dir, 'pull-request.yml'), broken);
  const r = await run(validator, [join(dir, 'pull-request.yml')], { allowFailure: true });
  expect(r.exitCode).not.toBe(0);
});

test('the PR workflow builds and smoke-tests what nx affected selects, on both platforms, pushing nothing public', () => {
  const text = readFileSync(join(repoRoot, '.github', 'workflows', 'pull-request.yml'), 'utf8');
  expect(text).toContain('npx nx affected -t build smoke');
  expect(text).toContain('docker/setup-qemu-action@v3');
  expect(text).toContain('docker/setup-buildx-action@v3');
  expect(text).toContain('ACCELBASE_REGISTRY: localhost:5000/acceleratorbase');
});
