import { describe, expect, test } from 'vitest';
import { fixtureLock, fixtureModel } from '../catalog/fixtures/load.js';
import { emptyLock } from '../catalog/lock.js';
import { planImages, selectWithBases } from './plan.js';

const model = fixtureModel;
const lock = fixtureLock;

describe('planImages', () => {
  test('orders bases before dependants', () => {
    const names = planImages(model, emptyLock()).images.map((i) => i.name);
    expect(names).toEqual(['minideb-trixie', 'minideb-bullseye', 'opencl-pocl', 'opencl-app', 'vendor-std']);
    for (const image of planImages(model, emptyLock()).images) {
      if (image.base) expect(names.indexOf(image.base.name)).toBeLessThan(names.indexOf(image.name));
    }
  });

  test('derives tags from the locked runtime version', () => {
    const pocl = planImages(model, lock).images.find((i) => i.name === 'opencl-pocl')!;
    expect(pocl.version).toBe('6.0');
    expect(pocl.tags).toEqual(['latest', 'trixie', '6-trixie', '6.0-trixie']);
    expect(pocl.packages[0].locked).toEqual({ 'linux/amd64': '6.0-6', 'linux/arm64': '6.0-6' });
    const unlocked = planImages(model, emptyLock()).images.find((i) => i.name === 'opencl-pocl')!;
    expect(unlocked.version).toBeNull();
    expect(unlocked.tags).toEqual(['latest', 'trixie']);
  });

  test('base references use the catalog namespace; repositories follow --registry', () => {
    const plan = planImages(model, emptyLock(), { namespace: '127.0.0.1:5000/acceleratorbase' });
    const app = plan.images.find((i) => i.name === 'opencl-app')!;
    expect(app.repository).toBe('127.0.0.1:5000/acceleratorbase/opencl-app');
    expect(app.base).toEqual({ name: 'opencl-pocl', ref: 'example/opencl-pocl:trixie' });
    expect(plan.images[0]).toMatchObject({
      name: 'minideb-trixie',
      tags: ['latest', 'trixie', '13'],
      base: null,
      dir: 'images/minideb',
    });
  });

  test('a runtime locked to different upstream versions per platform is refused', () => {
    const split = structuredClone(lock);
    split.images['opencl-pocl'].platforms['linux/arm64']!.packages['pocl-opencl-icd'] = '6.1-1';
    expect(() => planImages(model, split)).toThrow(/different upstream versions per platform \(6\.0, 6\.1\)/);
  });
});

describe('selectWithBases', () => {
  const plan = planImages(model, emptyLock());
  test.each([
    [['opencl-app'], ['minideb-trixie', 'opencl-pocl', 'opencl-app']],
    [['vendor'], ['minideb-bullseye', 'vendor-std']],
    [['minideb'], ['minideb-trixie', 'minideb-bullseye']],
    [[], ['minideb-trixie', 'minideb-bullseye', 'opencl-pocl', 'opencl-app', 'vendor-std']],
  ])('%j', (names, expected) => {
    expect(selectWithBases(plan, names).map((i) => i.name)).toEqual(expected);
  });
  test('unknown names are an error', () => {
    expect(() => selectWithBases(plan, ['nope'])).toThrow(/unknown image "nope"/);
  });
});
