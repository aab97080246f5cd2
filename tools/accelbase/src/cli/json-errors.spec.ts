// Every failing command under --json prints one error envelope on stdout (errors.ts ErrorEnvelope,
// published as schemas/errors.schema.json), exits non-zero, and still explains itself on stderr.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { z } from 'zod';
import { ErrorEnvelope } from '../errors.js';
import { main } from './main.js';
import { fixtureWorkspace } from '../test/fixture-workspace.js';

let ws: string;

/** A workspace of the frozen November catalog (with the repository's templates), and beside it copies with one mistake each. */
beforeAll(() => {
  ws = fixtureWorkspace('accelbase-json-errors-');
  const text = readFileSync(join(ws, 'catalog.yaml'), 'utf8');
  const broken = (name: string, from: string, to: string) => {
    if (!text.includes(from)) throw new Error(`edit target missing: ${from}`);
    writeFileSync(join(ws, name), text.replace(from, to));
  };
  broken('misspelt-source.yaml', 'source: debian-nonfree }', 'source: debain-nonfree }');
  broken('misspelt-key.yaml', 'packages: [pocl-opencl-icd, clinfo]', 'packges: [pocl-opencl-icd, clinfo]');
  broken('merge-key.yaml', 'version: 1\n', 'version: 1\n<<: { defaultDistribution: trixie }\n');
  broken('truncated.yaml', text, text.slice(0, text.indexOf('accelerators:') + 40));
  writeFileSync(
    join(ws, 'bad-variants.yaml'),
    'source: {}\ntarget: { image: 127.0.0.1:5000/t/app }\nvariants:\n  - tagg: x\n',
  );
});
afterAll(() => rmSync(ws, { recursive: true, force: true }));

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(
    args.map((a) => a.replace('WS/', `${ws}/`)),
    (t) => void (stdout += t),
    (t) => void (stderr += t),
  );
  return { code, stdout, stderr };
}

const catalog = (file: string) => ['--catalog', `WS/${file}`];

/** The envelope as published (schemas/errors.schema.json), read back as a user's validator would. */
const published = z.fromJSONSchema(
  JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'schemas', 'errors.schema.json'), 'utf8')),
);

test.each([
  ['validate, a misspelt source', ['validate', ...catalog('misspelt-source.yaml')], { suggestion: 'debian-nonfree' }],
  ['validate, a misspelt key', ['validate', ...catalog('misspelt-key.yaml')], { suggestion: 'packages' }],
  ['ls, a merge key', ['ls', ...catalog('merge-key.yaml')], { path: '<<' }],
  ['plan, a truncated catalog', ['plan', ...catalog('truncated.yaml')], {}],
  ['render, a missing catalog', ['render', ...catalog('nowhere.yaml')], { file: null }],
  ['show, an unknown image', ['show', 'opencl-pocll', ...catalog('catalog.yaml')], { suggestion: 'opencl-pocl' }],
  ['tags, an argument too many', ['tags', 'x', ...catalog('catalog.yaml')], {}],
  [
    'variants, an unknown key',
    ['variants', 'WS/bad-variants.yaml', ...catalog('catalog.yaml')],
    { path: 'variants.0.tagg' },
  ],
  ['an unknown command', ['rendr'], { suggestion: 'render' }],
  ['an unknown option', ['validate', '--jsn'], { suggestion: '--json' }],
  ['an option the command does not take', ['plan', '--platform', 'linux/amd64'], {}],
  ['a malformed option value', ['build', '--platform', 'amd64'], {}],
  ['no command at all', [], {}],
])('%s', async (_name, args, expected) => {
  const r = await cli([...args, '--json']);
  expect(r.code).not.toBe(0);
  const json = JSON.parse(r.stdout);
  expect(published.safeParse(json).error?.issues ?? []).toEqual([]);
  const envelope = ErrorEnvelope.parse(json);
  expect(envelope.errors).toContainEqual(expect.objectContaining(expected));
  expect(r.stderr).not.toBe('');
  expect(r.stderr).not.toMatch(/^\s*[{[]/);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  for (const e of envelope.errors)
    if (e.file !== null) expect([e.line, e.col].every((n) => n !== null && n > 0)).toBe(true);
});

test('without --json, stdout stays empty on an error', async () => {
  const r = await cli(['validate', ...catalog('misspelt-source.yaml')]);
  expect(r).toMatchObject({ code: 1, stdout: '' });
  expect(r.stderr).toContain('(did you mean "debian-nonfree"?)');
});

test('a command that printed its result before failing prints no second document', async () => {
  const r = await cli(['render', '--check', '--json', ...catalog('catalog.yaml')]);
  expect(r.code).toBe(1);
  expect(JSON.parse(r.stdout)).toMatchObject({ ok: false });
});
