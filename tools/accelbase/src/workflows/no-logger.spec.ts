import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';

// Workflows report through the Reporter they are given (reporter.ts) and never print: none imports the logger.
const IMPORTS_LOG = /(?:from\s+|import\s*\(\s*)['"][^'"]*\/log\.js['"]/;

test('no file in workflows/ imports log.js', () => {
  const dir = import.meta.dirname;
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  expect(files).toContain('build.ts');
  expect(files.filter((f) => IMPORTS_LOG.test(readFileSync(join(dir, f), 'utf8')))).toEqual([]);
});
