// A variants file's mistakes teach as the catalog's do: the field or platform meant, and the valid ones.
import { expect, test } from 'vitest';
import { CatalogError } from '../errors.js';
import { parseVariantsFile } from './file.js';

const valid =
  'source: {}\ntarget: { image: 127.0.0.1:5000/t/app }\nvariants:\n  - { tag: std, platforms: [linux/amd64] }\n';

function issuesOf(text: string) {
  try {
    parseVariantsFile('variants.yaml', text);
  } catch (e) {
    if (e instanceof CatalogError) return e.issues;
    throw e;
  }
  return [];
}

test('the unmutated file is valid', () => {
  expect(issuesOf(valid)).toEqual([]);
});

test.each([
  ['a misspelt key', '{ tag: std', '{ tagg: std', { line: 4, column: 7, path: 'variants.0.tagg', suggestion: 'tag' }],
  ['a misspelt top-level key', 'target:', 'traget:', { line: 2, column: 1, path: 'traget', suggestion: 'target' }],
  [
    'a platform without its OS',
    '[linux/amd64]',
    '[amd64]',
    { line: 4, column: 29, path: 'variants.0.platforms.0', suggestion: 'linux/amd64' },
  ],
  [
    'a SODALITE key in the accelbase format',
    'source: {}',
    'source: { dockerfil: Dockerfile }',
    { line: 1, column: 11, path: 'source.dockerfil', suggestion: 'dockerfile' },
  ],
])('%s', (_name, from, to, expected) => {
  const issues = issuesOf(valid.replace(from, to));
  expect(issues).toContainEqual(expect.objectContaining(expected));
  const issue = issues.find((i) => i.path === expected.path)!;
  expect(issue.message).toMatch(/\(did you mean ".+"\?\); valid/);
});
