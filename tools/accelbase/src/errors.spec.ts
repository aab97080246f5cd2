// The error envelope every command prints under --json: its published JSON Schema matches the zod
// schema, and every kind of error becomes an envelope that the schema accepts.
import { expect, test } from 'vitest';
import {
  CatalogError,
  CheckFailed,
  ErrorEnvelope,
  errorEnvelope,
  errorEnvelopeJsonSchema,
  ExecError,
  RewriteError,
  UserError,
} from './errors.js';

// After changing ErrorEnvelope: `npx vitest run tools/accelbase/src/errors.spec.ts -u`.
test('schemas/errors.schema.json matches the zod schema', async () => {
  await expect(`${JSON.stringify(errorEnvelopeJsonSchema(), null, 2)}\n`).toMatchFileSnapshot(
    '../schemas/errors.schema.json',
  );
});

const issue = {
  file: 'catalog.yaml',
  line: 3,
  column: 7,
  path: 'sources.debain',
  message: 'unknown source "debain"',
  suggestion: 'debian',
};

test.each([
  [
    'a catalog error: every issue, positioned, with its suggestion',
    new CatalogError([issue, { ...issue, line: 9, path: 'x', message: 'other', suggestion: undefined }]),
    [
      { file: 'catalog.yaml', line: 3, col: 7, path: 'sources.debain', message: issue.message, suggestion: 'debian' },
      { file: 'catalog.yaml', line: 9, col: 7, path: 'x', message: 'other', suggestion: null },
    ],
  ],
  [
    'issues beyond the limit: one entry counts them',
    new CatalogError([issue], 41),
    [
      { file: 'catalog.yaml', line: 3, col: 7, path: 'sources.debain', message: issue.message, suggestion: 'debian' },
      { file: null, line: null, col: null, path: null, message: '41 more errors not shown', suggestion: null },
    ],
  ],
  [
    'a usage error with a suggestion',
    new UserError('unknown command "rendr"', 2, 'render'),
    [{ file: null, line: null, col: null, path: null, message: 'unknown command "rendr"', suggestion: 'render' }],
  ],
  [
    'a rewrite error',
    new RewriteError('no FROM', { line: 1, column: 1 }),
    [{ file: null, line: null, col: null, path: null, message: 'line 1:1: no FROM', suggestion: null }],
  ],
  [
    'a failed check',
    new CheckFailed('rendered files are out of date'),
    [{ file: null, line: null, col: null, path: null, message: 'rendered files are out of date', suggestion: null }],
  ],
  [
    'a failed process',
    new ExecError('docker info', 1, 'Cannot connect to the Docker daemon'),
    [
      {
        file: null,
        line: null,
        col: null,
        path: null,
        message: 'command failed (exit code 1): docker info\nCannot connect to the Docker daemon',
        suggestion: null,
      },
    ],
  ],
  [
    'a bug',
    new TypeError('x is undefined'),
    [{ file: null, line: null, col: null, path: null, message: 'internal error: x is undefined', suggestion: null }],
  ],
  [
    'something thrown that is no Error',
    'a string',
    [{ file: null, line: null, col: null, path: null, message: 'internal error: a string', suggestion: null }],
  ],
])('%s', (_name, error, errors) => {
  const envelope = errorEnvelope(error);
  expect(envelope).toEqual({ errors });
  expect(ErrorEnvelope.safeParse(JSON.parse(JSON.stringify(envelope))).success).toBe(true);
});

test('a hostile key of megabytes is clipped in the envelope as on stderr', () => {
  const key = 'k'.repeat(1_000_000);
  const [entry] = errorEnvelope(new CatalogError([{ ...issue, path: key, message: `unknown field "${key}"` }])).errors;
  expect(entry.path!.length).toBeLessThanOrEqual(301);
  expect(entry.message.length).toBeLessThanOrEqual(1001);
});
