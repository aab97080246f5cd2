import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseCatalog } from '../../catalog/load.js';
import { emptyLock } from '../../catalog/lock.js';
import { bakeArgs } from '../../docker/bake.js';
import { sha256Hex } from '../../lib/fs.js';
import { planImages } from '../../plan/plan.js';
import type { BuildResult } from '../state.js';
import { scenarios } from './fixtures/scenarios.js';
import { baseOverride, planBuild, skipReason, stepBake, stepEpoch, type BuildStep } from './plan.js';

const fixture = readFileSync(join(import.meta.dirname, '..', '..', 'catalog', 'fixtures', 'catalog.yaml'), 'utf8');
const { model } = parseCatalog('catalog.yaml', fixture, new Set(['onnxruntime.py']));
const plan = planImages(model, emptyLock(), { namespace: '127.0.0.1:5000/ab' });
const image = (name: string) => plan.images.find((i) => i.name === name)!;
// What the build computed per image before it was a plan (recorded from the code of the time).
const golden = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'golden.json'), 'utf8')) as Record<
  string,
  unknown[]
>;

const D = (c: string) => `sha256:${c.repeat(64)}`;
const result = (o: Partial<BuildResult> & Pick<BuildResult, 'image' | 'status'>): BuildResult => ({
  repository: `127.0.0.1:5000/ab/${o.image}`,
  platforms: [],
  tags: [],
  durationS: 0,
  ...o,
});
const step = (name: string, o: Partial<Parameters<typeof planBuild>[1]> = {}): BuildStep =>
  planBuild([image(name)], { root: '/w', platforms: [], output: 'push', date: '20261128', ...o })[0];

describe('the plan computes what the build computed before (golden.json)', () => {
  test.each(scenarios.map((s) => [s.name, s] as const))('%s', (name, s) => {
    const images = s.only ? plan.images.filter((i) => s.only!.includes(i.name)) : plan.images;
    const steps = planBuild(images, {
      root: '/w',
      ...s.options,
      lockUpdated: (i) => s.lockUpdated[i],
      unreachable: new Map(Object.entries(s.unreachable)),
    });
    // Every step succeeds: digests for what leaves one, as the bake or the push would give them.
    const results = new Map<string, BuildResult>(
      (s.options.pinnedBases ?? []).map((b) => [
        b.image,
        result({ image: b.image, repository: b.repository, status: 'cached', digest: b.digest }),
      ]),
    );
    const epochs = new Map((s.options.pinnedBases ?? []).map((b) => [b.image, b.epoch]));
    const rows: unknown[] = [];
    for (const st of steps) {
      const base = st.image.base ? results.get(st.image.base.name) : undefined;
      const reason = skipReason(st, { stop: false, base });
      const r = result({ image: st.image.name, repository: st.image.repository, status: 'skipped' });
      results.set(st.image.name, r);
      if (reason) {
        rows.push({ image: st.image.name, platforms: st.platforms, tags: st.tags, reason });
        continue;
      }
      const epoch = stepEpoch(st, { rootfsEpochs: s.rootfsEpochs, baseEpoch: epochs.get(st.image.base?.name ?? '') });
      epochs.set(st.image.name, epoch);
      const inputs = stepBake(st, { epoch, base }, { output: s.options.output, provenance: s.options.provenance });
      const full = stepBake(st, { epoch, base, hostNetworkFile: s.hostNetworkFile, proxyArgs: s.proxyArgs }, s.options);
      r.status = 'built';
      if (s.options.output !== 'cache') r.digest = `sha256:${sha256Hex(st.image.name)}`;
      rows.push(
        JSON.parse(
          JSON.stringify({
            image: st.image.name,
            platforms: st.platforms,
            tags: st.tags,
            epoch,
            baseOverride: baseOverride(st, base, s.options.output),
            cache: st.cache,
            bakeEnv: st.bakeEnv,
            inputArgs: bakeArgs(inputs),
            args: bakeArgs(full),
          }),
        ),
      );
    }
    expect(rows).toEqual(golden[name]);
  });
});

test('bake arguments: one target, build tags, host network only when asked, base pinned by digest', () => {
  const st = step('opencl-app', {
    platforms: ['linux/amd64'],
    revision: '860c1900aa',
    cache: 'none',
    lockUpdated: () => '2025-11-28',
  });
  const base = result({ image: 'opencl-pocl', status: 'built', digest: D('a') });
  const epoch = stepEpoch(st, { baseEpoch: 0 });
  expect(bakeArgs(stepBake(st, { epoch, base, hostNetworkFile: '/w/host-network.json' }, { output: 'push' }))).toEqual([
    'buildx',
    'bake',
    '--file',
    '/w/docker-bake.json',
    '--file',
    '/w/host-network.json',
    '--allow',
    'network.host',
    '--progress',
    'rawjson',
    '--metadata-file',
    '/w/.accelbase/build/opencl-app.metadata.json',
    '--set',
    '*.platform=linux/amd64',
    '--set',
    'opencl-app.tags=127.0.0.1:5000/ab/opencl-app:trixie-20261128',
    '--set',
    'opencl-app.tags=127.0.0.1:5000/ab/opencl-app:sha-860c190',
    '--set',
    'opencl-app.labels.org.opencontainers.image.created=2025-11-28T00:00:00Z',
    '--set',
    'opencl-app.args.SOURCE_DATE_EPOCH=1764288000',
    '--set',
    'opencl-app.output=type=oci,dest=/w/.accelbase/build/opencl-app.oci,tar=false,rewrite-timestamp=true',
    '--set',
    'opencl-app.attest=type=provenance,disabled=true',
    '--set',
    `opencl-app.contexts.${image('opencl-app').base!.ref}=docker-image://127.0.0.1:5000/ab/opencl-pocl@${D('a')}`,
    'opencl-app',
  ]);
});

test.each([
  ['push: registry', { output: 'push' }, 'type=registry,ref=127.0.0.1:5000/ab/opencl-pocl:cache-amd64'],
  ['load: none (the bake file keeps its own)', { output: 'load' }, undefined],
  ['cache: none', { output: 'cache' }, undefined],
  [
    'local when asked',
    { output: 'cache', cache: 'local' },
    'type=local,src=/w/.accelbase/cache/opencl-pocl-cache-amd64',
  ],
] as const)('the cache by default and when asked: %s', (_, o, from) => {
  expect(step('opencl-pocl', { platforms: ['linux/amd64'], ...o }).cache?.from.at(-1)).toBe(from);
});

test.each([
  ['every platform of the image', [], ['linux/amd64', 'linux/arm64'], undefined],
  ['those asked for', ['linux/arm64'], ['linux/arm64'], undefined],
  ['none of them', ['linux/riscv64'], [], 'not built for linux/riscv64'],
])('platforms: %s', (_, wanted, platforms, skip) => {
  const st = step('opencl-pocl', { platforms: wanted });
  expect(st.platforms).toEqual(platforms);
  expect(st.skip).toBe(skip);
});

test('tags: the dated and sha- build tags under the repository; no revision, no sha- tag', () => {
  expect(step('opencl-pocl', { revision: '860c1900aa' }).tags).toEqual([
    '127.0.0.1:5000/ab/opencl-pocl:trixie-20261128',
    '127.0.0.1:5000/ab/opencl-pocl:sha-860c190',
  ]);
  expect(step('opencl-pocl').tags).toEqual(['127.0.0.1:5000/ab/opencl-pocl:trixie-20261128']);
  expect(step('opencl-pocl').bakeEnv).toEqual({ REGISTRY: '127.0.0.1:5000/ab', REVISION: '' });
});

test.each([
  ['nothing in the way', {}, false, undefined, undefined],
  [
    'an earlier failure stops everything after it',
    {},
    true,
    undefined,
    'an earlier image failed (use --keep-going to continue)',
  ],
  [
    'an unreachable source',
    { unreachable: new Map([['opencl-app', 'unreachable source u (ENOTFOUND)']]) },
    false,
    undefined,
    'unreachable source u (ENOTFOUND)',
  ],
  ['a base that failed', {}, false, 'failed', 'base opencl-pocl failed'],
  ['a base that was skipped', {}, false, 'skipped', 'base opencl-pocl skipped'],
  ['a base that was built', {}, false, 'built', undefined],
  ['a base taken from the cache', {}, false, 'cached', undefined],
  [
    'the stop wins over an unreachable source',
    { unreachable: new Map([['opencl-app', 'x']]) },
    true,
    'failed',
    'an earlier image failed (use --keep-going to continue)',
  ],
] as const)('skip reason: %s', (_, o, stop, baseStatus, want) => {
  const base = baseStatus ? result({ image: 'opencl-pocl', status: baseStatus }) : undefined;
  expect(skipReason(step('opencl-app', o), { stop, base })).toBe(want);
});

test.each([
  [
    'a minideb: its newest rootfs tarball',
    'minideb-trixie',
    { rootfsEpochs: { 'linux/amd64': 5, 'linux/arm64': 7 } },
    undefined,
    7,
  ],
  ['derived: the base is newer', 'opencl-app', { baseEpoch: 1764288000 }, '2020-01-01', 1764288000],
  ['derived: the lock date is newer', 'opencl-app', { baseEpoch: 5 }, '2025-11-28', 1764288000],
  ['derived: no base epoch, no lock date', 'opencl-app', {}, undefined, 0],
] as const)('epoch: %s', (_, name, facts, updated, want) => {
  expect(stepEpoch(step(name, { lockUpdated: () => updated }), facts)).toBe(want);
});

test.each([
  ['a base with a digest, pushed', 'push', D('c'), true],
  ['a base with a digest, in a layout (verify)', 'layout', D('c'), true],
  ['a cache-only build keeps the bake file chaining', 'cache', D('c'), false],
  ['a base without a digest', 'push', undefined, false],
] as const)('base override: %s', (_, output, digest, pinned) => {
  const base = result({ image: 'opencl-pocl', status: 'built', ...(digest ? { digest } : {}) });
  const want = pinned
    ? { ref: image('opencl-app').base!.ref, image: `127.0.0.1:5000/ab/opencl-pocl@${digest}` }
    : undefined;
  expect(baseOverride(step('opencl-app'), base, output)).toEqual(want);
});

test('a builder, max provenance and --no-cache reach the invocation; proxy args follow SOURCE_DATE_EPOCH', () => {
  const st = step('opencl-pocl', { platforms: ['linux/arm64'], output: 'cache' });
  const args = bakeArgs(
    stepBake(
      st,
      { epoch: 1, proxyArgs: { http_proxy: 'http://127.0.0.1:3142', no_proxy: '127.0.0.1,localhost' } },
      { output: 'cache', builder: 'native', provenance: 'max', noCache: true },
    ),
  );
  expect(args.slice(0, 4)).toEqual(['buildx', '--builder', 'native', 'bake']);
  expect(args.join(' ')).toContain(
    '--set opencl-pocl.args.SOURCE_DATE_EPOCH=1 --set opencl-pocl.args.http_proxy=http://127.0.0.1:3142 --set opencl-pocl.args.no_proxy=127.0.0.1,localhost',
  );
  expect(args).toContain('opencl-pocl.attest=type=provenance,mode=max');
  expect(args).toContain('opencl-pocl.output=type=cacheonly');
  expect(args.slice(-2)).toEqual(['--no-cache', 'opencl-pocl']);
  expect(args).not.toContain('network.host');
});
