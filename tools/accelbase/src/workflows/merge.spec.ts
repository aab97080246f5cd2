import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { resolveRunConfig } from '../config/run-config.js';
import { silentReporter } from '../reporter.js';
import { fixtureLock, fixtureModel } from '../catalog/fixtures/load.js';
import { UserError } from '../errors.js';
import { planImages } from '../plan/plan.js';
import { mergeWorkspace, planMerge, type LoadedParts } from './merge.js';
import type { BuildPartsFile, BuildPart } from './state.js';
import { openWorkspace } from './workspace.js';
import { lockHashOf } from './build.js';

const NS = '127.0.0.1:5000/ab';
const plan = planImages(fixtureModel, fixtureLock, { namespace: NS });
const LOCK = `sha256:${'1'.repeat(64)}`;
const REV = 'a'.repeat(40);
const d = (c: string) => `sha256:${c.repeat(64)}`;

const part = (image: string, platform: string, digest: string, baseDigest?: string): BuildPart => ({
  image,
  repository: `${NS}/${image === 'minideb-trixie' ? 'minideb' : image}`,
  platform,
  digest,
  ...(baseDigest ? { baseDigest } : {}),
  status: 'built',
  durationS: 10,
});
const file = (name: string, platform: string, parts: BuildPart[], o: Partial<BuildPartsFile> = {}): LoadedParts => ({
  file: name,
  value: { version: 1, platform, revision: REV, lockHash: LOCK, date: '20261202', parts, ...o },
});
const amd = file('amd64.json', 'linux/amd64', [
  part('minideb-trixie', 'linux/amd64', d('1')),
  part('opencl-pocl', 'linux/amd64', d('2'), d('1')),
]);
const arm = file('arm64.json', 'linux/arm64', [
  part('minideb-trixie', 'linux/arm64', d('3')),
  part('opencl-pocl', 'linux/arm64', d('4'), d('3')),
]);

const problems = (files: LoadedParts[], lock = LOCK) => {
  try {
    planMerge(plan, files, lock);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    const [head, ...lines] = (e as UserError).message.split('\n');
    expect(head).toBe('merge: nothing pushed:');
    return lines.map((l) => l.trim());
  }
  throw new Error('merged');
};

describe('planMerge', () => {
  test('two platforms, bases first, each image with every platform it declares', () => {
    const m = planMerge(plan, [arm, amd], LOCK);
    expect(m.revision).toBe(REV);
    expect(m.date).toBe('20261202');
    expect(m.images.map((i) => [i.image.name, i.parts.map((p) => `${p.platform} ${p.digest.slice(7, 8)}`)])).toEqual([
      ['minideb-trixie', ['linux/amd64 1', 'linux/arm64 3']],
      ['opencl-pocl', ['linux/amd64 2', 'linux/arm64 4']],
    ]);
  });

  test.each<[string, LoadedParts[], string, string[]]>([
    [
      'a missing platform',
      [amd],
      LOCK,
      [
        'minideb-trixie: no part for linux/arm64 (it declares linux/amd64, linux/arm64; the parts have linux/amd64)',
        'opencl-pocl: no part for linux/arm64 (it declares linux/amd64, linux/arm64; the parts have linux/amd64)',
      ],
    ],
    [
      'parts from two commits',
      [amd, { ...arm, value: { ...arm.value, revision: 'b'.repeat(40) } }],
      LOCK,
      ['parts from 2 commits: amd64.json (aaaaaaa), arm64.json (bbbbbbb)'],
    ],
    [
      'parts from two locks',
      [amd, { ...arm, value: { ...arm.value, lockHash: d('9') } }],
      LOCK,
      ['parts from 2 different catalog.lock.yaml files: amd64.json (111111111111), arm64.json (999999999999)'],
    ],
    [
      "another lock than the checkout's",
      [amd, arm],
      d('8'),
      ["the parts were built from another catalog.lock.yaml (111111111111) than this checkout's (888888888888)"],
    ],
    [
      'a platform the image does not declare',
      [
        file('x.json', 'linux/arm64', [part('opencl-app', 'linux/arm64', d('5'))]),
        file('y.json', 'linux/amd64', [part('opencl-app', 'linux/amd64', d('6'))]),
      ],
      LOCK,
      ['opencl-app: parts for linux/arm64, which it does not declare (linux/amd64)'],
    ],
    [
      'two different parts for one platform',
      [amd, arm, file('again.json', 'linux/arm64', [part('minideb-trixie', 'linux/arm64', d('7'))])],
      LOCK,
      [`minideb-trixie linux/arm64: two parts, ${d('3')} in arm64.json and ${d('7')} in again.json`],
    ],
    [
      'a part built on another base than the one merged',
      [
        amd,
        file('arm64.json', 'linux/arm64', [
          part('minideb-trixie', 'linux/arm64', d('3')),
          part('opencl-pocl', 'linux/arm64', d('4'), d('5')),
        ]),
      ],
      LOCK,
      [`opencl-pocl linux/arm64: built on minideb-trixie@${d('5')}, but the parts hold ${d('3')} for it`],
    ],
    [
      'an image this catalog does not have',
      [file('x.json', 'linux/amd64', [{ ...part('gone', 'linux/amd64', d('1')) }])],
      LOCK,
      ['gone: not an image of this catalog'],
    ],
    [
      'a part pushed under another namespace',
      [
        file('x.json', 'linux/amd64', [
          { ...part('opencl-app', 'linux/amd64', d('1')), repository: '127.0.0.1:5000/other/opencl-app' },
        ]),
      ],
      LOCK,
      [
        `opencl-app linux/amd64: x.json pushed it to 127.0.0.1:5000/other/opencl-app, this checkout builds ${NS}/opencl-app`,
      ],
    ],
  ])('%s is refused, naming the files', (_, files, lock, want) => {
    expect(problems(files, lock)).toEqual(want);
  });

  test('no files is a usage error', () => {
    expect(() => planMerge(plan, [], LOCK)).toThrow(/usage: accelbase merge RESULTS/);
  });
});

describe('mergeWorkspace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'accelbase-merge-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // The repository's own catalog (read only): the fixture one names a script that is not there.
  const catalog = join(import.meta.dirname, '..', '..', '..', '..', 'catalog.yaml');
  const run = { config: resolveRunConfig({}, {}), reporter: silentReporter };

  test('an unreachable registry (a closed port on 127.0.0.1) fails before anything is pushed', async () => {
    const ws = openWorkspace({ catalog, registry: '127.0.0.1:9/ab' });
    const lockHash = await lockHashOf(ws.ws.lockFile);
    const files = (['linux/amd64', 'linux/arm64'] as const).map((p, i) => {
      const f = join(dir, `${i}.json`);
      writeFileSync(
        f,
        JSON.stringify({
          version: 1,
          platform: p,
          revision: REV,
          lockHash,
          date: '20261202',
          parts: [{ ...part('minideb-trixie', p, d(String(i + 1))), repository: '127.0.0.1:9/ab/minideb' }],
        }),
      );
      return f;
    });
    await expect(mergeWorkspace(ws, files, run)).rejects.toThrow(
      /^merge: nothing pushed:\n {2}registry unreachable: cannot reach http:\/\/127\.0\.0\.1:9\/v2\/ab\/minideb\/manifests\/sha256:1{64}: [^\n]+$/,
    );
  });

  test('a results file that is not what build wrote names the file', async () => {
    const ws = openWorkspace({ catalog, registry: NS });
    const f = join(dir, 'bad.json');
    writeFileSync(f, JSON.stringify({ version: 1, platform: 'linux/amd64', revision: 'nope', parts: [] }));
    await expect(mergeWorkspace(ws, [f], run)).rejects.toThrow(`${f} does not hold what accelbase wrote (revision:`);
    await expect(mergeWorkspace(ws, [join(dir, 'none.json')], run)).rejects.toThrow(/none\.json: no such results file/);
    expect(readFileSync(f, 'utf8')).toContain('nope');
  });
});
