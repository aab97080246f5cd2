import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseCatalog } from '../catalog/load.js';
import type { Lock } from '../catalog/lock.js';
import { planImages } from './plan.js';
import { decidePublish, type PublishInput } from './publish.js';

const fixture = readFileSync(join(import.meta.dirname, '..', 'catalog', 'fixtures', 'catalog.yaml'), 'utf8');
const { model } = parseCatalog('catalog.yaml', fixture, new Set(['onnxruntime.py']));
const d = (c: string) => `sha256:${c.repeat(64)}`;
const lock: Lock = {
  version: 1,
  images: {
    'opencl-pocl': {
      updated: '2026-11-01',
      platforms: {
        'linux/amd64': {
          packages: { 'pocl-opencl-icd': '6.0-6', clinfo: '3.0-1' },
          baseDigest: d('b'),
          digest: d('1'),
        },
        'linux/arm64': {
          packages: { 'pocl-opencl-icd': '6.0-6', clinfo: '3.0-1' },
          baseDigest: d('b'),
          digest: d('1'),
        },
      },
    },
    'minideb-trixie': {
      updated: '2026-11-01',
      platforms: {
        'linux/amd64': { packages: {}, rootfs: d('r'), digest: d('b') },
        'linux/arm64': { packages: {}, rootfs: d('s'), digest: d('b') },
      },
    },
  },
};
const plan = planImages(model, lock, { namespace: '127.0.0.1:5000/ab' });
const image = (n: string) => plan.images.find((i) => i.name === n)!;
const passed = { 'linux/amd64': 'passed', 'linux/arm64': 'passed' } as const;
const input = (over: Partial<PublishInput>): PublishInput => ({
  image: image('opencl-pocl'),
  locked: lock.images['opencl-pocl'],
  builtDigest: d('2'),
  smoke: passed,
  baseDigest: d('b'),
  today: '2026-11-28',
  ...over,
});

describe('decidePublish', () => {
  test('a quiet night: the same index digest as published: nothing is published, whatever the lock says', () => {
    expect(decidePublish(input({ builtDigest: d('1') }))).toEqual({
      action: 'skip',
      image: 'opencl-pocl',
      reason: 'identical digest',
      why: `identical digest: ${d('1')} is what is published`,
    });
    expect(decidePublish(input({ builtDigest: d('1'), baseDigest: d('c') })).action).toBe('skip');
  });

  test('a new digest from unchanged packages and base is published, and says the build was not reproducible', () => {
    expect(decidePublish(input({}))).toMatchObject({
      action: 'publish',
      reason: 'digest changed',
      why: 'new index digest, though packages, base and root filesystem are unchanged (see `accelbase verify`)',
    });
  });

  test('a new base digest republishes, moving every floating tag, and records what was published', () => {
    const dec = decidePublish(input({ baseDigest: d('c') }));
    expect(dec).toMatchObject({
      action: 'publish',
      digest: d('2'),
      why: 'linux/amd64: base minideb-trixie changed; linux/arm64: base minideb-trixie changed',
      tags: [
        '127.0.0.1:5000/ab/opencl-pocl:latest',
        '127.0.0.1:5000/ab/opencl-pocl:trixie',
        '127.0.0.1:5000/ab/opencl-pocl:6-trixie',
        '127.0.0.1:5000/ab/opencl-pocl:6.0-trixie',
      ],
    });
    if (dec.action === 'publish')
      expect(dec.locked.platforms['linux/arm64']).toEqual({
        packages: { 'pocl-opencl-icd': '6.0-6', clinfo: '3.0-1' },
        baseDigest: d('c'),
        digest: d('2'),
      });
  });

  test('a dependency moved (same pins, same base): publish, and record the new installed set', () => {
    const before = structuredClone(lock.images['opencl-pocl']);
    for (const p of Object.values(before.platforms)) p!.installed = { libc6: '2.41-12', 'pocl-opencl-icd': '6.0-6' };
    const now = { libc6: '2.41-12+deb13u1', 'pocl-opencl-icd': '6.0-6' };
    const dec = decidePublish(
      input({
        locked: before,
        installed: { 'linux/amd64': now, 'linux/arm64': before.platforms['linux/arm64']!.installed },
      }),
    );
    expect(dec).toMatchObject({ action: 'publish', why: 'linux/amd64: installed packages changed' });
    if (dec.action === 'publish') expect(dec.locked.platforms['linux/amd64']?.installed).toEqual(now);
    // The same set, or a set that was never read, is no change: the digest alone moved.
    expect(
      decidePublish(input({ locked: before, installed: { 'linux/amd64': before.platforms['linux/amd64']!.installed } }))
        .why,
    ).toMatch(/^new index digest/);
    expect(decidePublish(input({ locked: before })).why).toMatch(/^new index digest/);
  });

  test('packages changed (update dropped the digest): publish', () => {
    const changed = structuredClone(lock.images['opencl-pocl']);
    changed.platforms['linux/amd64'] = { packages: { 'pocl-opencl-icd': '6.0-7', clinfo: '3.0-1' } };
    expect(decidePublish(input({ locked: changed }))).toMatchObject({
      action: 'publish',
      why: 'linux/amd64: packages changed',
    });
  });

  test.each([
    [
      { smoke: { 'linux/amd64': 'passed', 'linux/arm64': 'failed' } as const },
      'smoke',
      'smoke test linux/arm64: failed',
    ],
    [{ smoke: { 'linux/amd64': 'passed' } as const }, 'smoke', 'smoke test linux/arm64: not run'],
    [{ builtDigest: undefined }, 'not built', 'not built and pushed (run `accelbase build --push` first)'],
    [{ baseDigest: undefined }, 'base not published', 'base minideb-trixie is not published'],
  ])('floating tags stay put: %j', (over, reason, why) => {
    expect(decidePublish(input(over))).toEqual({ action: 'skip', image: 'opencl-pocl', reason, why });
  });

  test('no-device counts as a passed smoke test (no accelerator on the build machine)', () => {
    expect(
      decidePublish(input({ baseDigest: d('c'), smoke: { 'linux/amd64': 'no-device', 'linux/arm64': 'no-device' } }))
        .action,
    ).toBe('publish');
  });

  test('minideb: the same digest stays; a new one names the root filesystem that changed', () => {
    const m = { image: image('minideb-trixie'), locked: lock.images['minideb-trixie'], baseDigest: undefined };
    expect(
      decidePublish(input({ ...m, builtDigest: d('b'), rootfs: { 'linux/amd64': d('r'), 'linux/arm64': d('s') } }))
        .reason,
    ).toBe('identical digest');
    expect(decidePublish(input({ ...m, rootfs: { 'linux/amd64': d('r'), 'linux/arm64': d('t') } }))).toMatchObject({
      action: 'publish',
      why: 'linux/arm64: root filesystem changed',
    });
  });

  test('minideb records the date of the updates its root filesystem holds, where the tarball says', () => {
    const m = { image: image('minideb-trixie'), locked: lock.images['minideb-trixie'], baseDigest: undefined };
    const decision = decidePublish(
      input({
        ...m,
        rootfs: { 'linux/amd64': d('u'), 'linux/arm64': d('t') },
        updatesAsOf: { 'linux/amd64': '2026-11-30' },
      }),
    );
    expect(decision.action === 'publish' && decision.locked.platforms).toMatchObject({
      'linux/amd64': { rootfs: d('u'), updatesAsOf: '2026-11-30' },
      'linux/arm64': { rootfs: d('t') },
    });
    expect(decision.action === 'publish' && decision.locked.platforms['linux/arm64']).not.toHaveProperty('updatesAsOf');
  });
});
