// The bad-input corpus (fixtures/bad-input): each case runs the real CLI in a copy of a small valid
// workspace and must exit non-zero, with a file:line:col where the input is a file, without a stack
// trace, changing no file, and with the marker in no written file, in under 2 s.
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { badInputCorpus, problemsOf, removeTemplate, runCase } from './fixtures/bad-input/index.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
afterAll(removeTemplate);

test('the corpus has at least 150 cases, each named once', () => {
  expect(badInputCorpus.length).toBeGreaterThanOrEqual(150);
  expect(new Set(badInputCorpus.map((c) => c.name)).size).toBe(badInputCorpus.length);
});

test.each(badInputCorpus.map((c) => [`${c.category}: ${c.name}`, c] as const))('%s', async (_title, c) => {
  const outcome = await runCase(repoRoot, c);
  expect(problemsOf(c, outcome), outcome.output).toEqual([]);
});
