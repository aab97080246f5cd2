import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  contextFiles,
  currentInputs as currentInputsOf,
  fileStamps,
  inputsFile,
  readInputRecords,
  recordOf,
  reusablePush,
  stillServed,
  writeInputRecord as writeRecord,
  type Inputs,
} from './unchanged.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
let root = '';
const target = { context: 'images/pocl', dockerfile: '../minideb/Dockerfile' };
const material = { args: ['bake', '--set', '*.platform=linux/amd64', 'pocl'], env: { REGISTRY: 'r', REVISION: 'abc' } };

// As build does: the records read from the workspace, the image's own passed in, a push recorded through them.
const currentInputs = (dir: string, image: string, t: typeof target, m: typeof material) =>
  currentInputsOf(dir, t, m, recordOf(readInputRecords(dir), image));
const writeInputRecord = (dir: string, image: string, inputs: Inputs, result: Parameters<typeof writeRecord>[4]) =>
  writeRecord(dir, readInputRecords(dir), image, inputs, result);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'accelbase-unchanged-'));
  mkdirSync(join(root, 'images', 'pocl', 'scripts'), { recursive: true });
  mkdirSync(join(root, 'images', 'minideb'), { recursive: true });
  writeFileSync(join(root, 'images', 'minideb', 'Dockerfile'), 'FROM scratch\n');
  writeFileSync(join(root, 'images', 'pocl', 'image.json'), '{}\n');
  writeFileSync(join(root, 'images', 'pocl', 'scripts', 'query.py'), 'print(1)\n');
  return () => rmSync(root, { recursive: true, force: true });
});

describe('inputs', () => {
  test('the context files and a Dockerfile outside the context, sorted, relative to the root', () => {
    expect(contextFiles(root, target)).toEqual([
      'images/minideb/Dockerfile',
      'images/pocl/image.json',
      'images/pocl/scripts/query.py',
    ]);
  });

  test('a file whose size, mtime and inode match its stamp is not read again; a touched one is', async () => {
    const [stamp] = Object.values(await fileStamps(root, ['images/pocl/image.json']));
    const known = { 'images/pocl/image.json': { ...stamp, sha256: 'as recorded' } };
    expect((await fileStamps(root, ['images/pocl/image.json'], known))['images/pocl/image.json'].sha256).toBe(
      'as recorded',
    );
    utimesSync(join(root, 'images', 'pocl', 'image.json'), new Date(0), new Date(0));
    expect((await fileStamps(root, ['images/pocl/image.json'], known))['images/pocl/image.json'].sha256).toBe(
      stamp.sha256,
    );
  });

  test.each([
    [
      'a context file',
      () => writeFileSync(join(root, 'images', 'pocl', 'scripts', 'query.py'), 'print(2)\n'),
      material,
    ],
    ['a new context file', () => writeFileSync(join(root, 'images', 'pocl', 'extra'), ''), material],
    [
      'the Dockerfile outside the context',
      () => writeFileSync(join(root, 'images', 'minideb', 'Dockerfile'), 'FROM scratch\nENV A=1\n'),
      material,
    ],
    [
      'a bake argument',
      () => undefined,
      { ...material, args: [...material.args, '--set', 'pocl.args.SOURCE_DATE_EPOCH=1'] },
    ],
    ['the revision', () => undefined, { ...material, env: { ...material.env, REVISION: 'def' } }],
  ])('the key changes with %s, and only then', async (_name, change, changed) => {
    const before = (await currentInputs(root, 'pocl', target, material))!.key;
    expect((await currentInputs(root, 'pocl', target, material))!.key).toBe(before);
    change();
    expect((await currentInputs(root, 'pocl', target, changed))!.key).not.toBe(before);
  });

  test('no context (yet) gives no inputs, so the image is baked', async () => {
    expect(
      await currentInputs(root, 'pocl', { context: 'images/missing', dockerfile: 'Dockerfile' }, material),
    ).toBeUndefined();
  });

  test('a corrupt record file is a rebuild, not an error', async () => {
    mkdirSync(join(root, '.accelbase', 'build'), { recursive: true });
    writeFileSync(inputsFile(root), '{"version": 1, "images": {"pocl": {"key": 3}}}');
    expect((await currentInputs(root, 'pocl', target, material))!.previous).toBeUndefined();
  });
});

// A fake registry (manifest HEAD only) on 127.0.0.1: the real one is the engine tier's.
describe('reuse against a fake registry on 127.0.0.1', () => {
  const manifests = new Map<string, string>(); // name/reference -> digest
  let server: Server;
  let repository = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const m = /^\/v2\/(.+)\/manifests\/(.+)$/.exec(req.url ?? '');
      const digest = m && req.method === 'HEAD' ? manifests.get(`${m[1]}/${decodeURIComponent(m[2])}`) : undefined;
      res.writeHead(digest ? 200 : 404, digest ? { 'Docker-Content-Digest': digest } : {}).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    repository = `127.0.0.1:${port}/ns/pocl`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    manifests.clear();
    manifests.set(`ns/pocl/${D1}`, D1);
    manifests.set('ns/pocl/sha-abc', D1);
    manifests.set('ns/pocl/6.0-trixie-20261206', D1);
  });

  const tags = () => [`${repository}:sha-abc`, `${repository}:6.0-trixie-20261206`];
  const pushed = () => ({
    image: 'pocl',
    repository,
    platforms: ['linux/amd64'],
    status: 'built' as const,
    tags: tags(),
    durationS: 50,
    digest: D1,
    sizes: { 'linux/amd64': 12 },
  });

  test('the same inputs, served under every tag: the last push is reused as it was', async () => {
    writeInputRecord(root, 'pocl', (await currentInputs(root, 'pocl', target, material))!, pushed());
    const reused = await reusablePush(repository, tags(), (await currentInputs(root, 'pocl', target, material))!);
    expect(reused).toMatchObject({ digest: D1, sizes: { 'linux/amd64': 12 }, tags: tags() });
  });

  test.each([
    ['a tag names another digest', () => manifests.set('ns/pocl/sha-abc', D2)],
    ['a tag is gone', () => manifests.delete('ns/pocl/6.0-trixie-20261206')],
    ['the digest is gone', () => manifests.delete(`ns/pocl/${D1}`)],
  ])('not reused when %s', async (_name, change) => {
    writeInputRecord(root, 'pocl', (await currentInputs(root, 'pocl', target, material))!, pushed());
    change();
    expect(
      await reusablePush(repository, tags(), (await currentInputs(root, 'pocl', target, material))!),
    ).toBeUndefined();
  });

  test('not reused when an input changed, or for another repository', async () => {
    writeInputRecord(root, 'pocl', (await currentInputs(root, 'pocl', target, material))!, pushed());
    writeFileSync(join(root, 'images', 'pocl', 'image.json'), '{"changed": true}\n');
    expect(
      await reusablePush(repository, tags(), (await currentInputs(root, 'pocl', target, material))!),
    ).toBeUndefined();
    writeInputRecord(root, 'pocl', (await currentInputs(root, 'pocl', target, material))!, pushed());
    expect(
      await reusablePush(`${repository}x`, tags(), (await currentInputs(root, 'pocl', target, material))!),
    ).toBeUndefined();
  });

  test('an unreachable registry is not served (the build then runs and its push says why)', async () => {
    expect(await stillServed('127.0.0.1:9/ns/pocl', D1, [])).toBe(false);
  });
});
