// The committed reference pages are what the command table says: `npx vitest run <this file> -u` rewrites them
// (the path before -u: vitest 4 reads a word after -u as the update mode).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { commandNames } from './commands.js';
import { referencePages } from './reference.js';

const dir = join(import.meta.dirname, '..', '..', '..', '..', '..', 'docs', 'reference');
const pages = referencePages();

test('one page per command, and the index', () => {
  expect([...pages.keys()].sort()).toEqual(['README.md', ...commandNames.map((n) => `${n}.md`)].sort());
});

test.each([...pages])('docs/reference/%s is up to date', async (file, text) => {
  expect(text.split('\n')[0]).toMatch(/^<!-- Generated .*: do not edit\./);
  await expect(text).toMatchFileSnapshot(join(dir, file));
});

test('no page is left in docs/reference/ that the table does not make', () => {
  expect(readdirSync(dir).filter((f) => !pages.has(f))).toEqual([]);
});
