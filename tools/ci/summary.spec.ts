// tools/ci/summary.mjs: the closing line of .ci/run, vitest reports and the steps that are not vitest runs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { run } from '../accelbase/src/exec.js';

const dir = mkdtempSync(join(tmpdir(), 'accelbase-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const report = (name: string, passed: number, failed: number) => {
  const file = join(dir, name);
  writeFileSync(
    file,
    JSON.stringify({
      numPassedTests: passed,
      numFailedTests: failed,
      numPendingTests: 0,
      numTodoTests: 0,
      testResults: [],
    }),
  );
  return file;
};
const summary = (...args: string[]) =>
  run('node', [join(import.meta.dirname, 'summary.mjs'), ...args], { allowFailure: true });

test.each([
  [['unit.json'], [], '5 passed, 0 failed'],
  [['unit.json', 'itg.json'], ['maintainer scenario=passed'], 'maintainer scenario: passed\n8 passed, 1 failed'],
  [['unit.json'], ['maintainer scenario=failed'], 'maintainer scenario: failed\n5 passed, 1 failed'],
  [['unit.json'], ['maintainer scenario='], 'maintainer scenario=: failed\n5 passed, 1 failed'],
  [['unit.json', 'missing.json'], [], '5 passed, 1 failed'],
])('%j with steps %j', async (files, steps, out) => {
  report('unit.json', 5, 0);
  report('itg.json', 3, 1);
  const r = await summary(...files.map((f) => join(dir, f)), ...steps.flatMap((s) => ['--step', s]));
  expect(r.stdout.trim()).toBe(out);
  expect(r.exitCode).toBe(out.endsWith(' 0 failed') ? 0 : 1);
});
