import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatIssue } from '../errors.js';
import { planImages, selectWithBases } from '../plan/plan.js';
import { renderBake } from '../render/bake-file.js';
import { lifecycleIssues, releaseSupport, SUPPORT_WARNING_DAYS } from './lifecycle.js';
import { parseCatalog } from './load.js';
import type { Lock } from './lock.js';

// The fixture catalog: minideb on trixie and bullseye, vendor-std on bullseye, the rest on trixie.
const fixture = readFileSync(join(import.meta.dirname, 'fixtures', 'catalog.yaml'), 'utf8');
const retiredFixture = fixture.replace(
  'bullseye: { version: "11", python: "3.9" }',
  'bullseye: { version: "11", python: "3.9", retired: true }',
);
const load = (text: string) => parseCatalog('catalog.yaml', text, new Set(['onnxruntime.py']));

/** A lock with the dates distro-info-data gave for these releases in December 2026. */
const lock: Lock = {
  version: 1,
  distroInfo: '0.66+deb13u2 (trixie)',
  distributions: {
    bullseye: { regularSecurityEnd: '2024-08-14', securityEnd: '2026-08-31', extendedEnd: '2031-06-30' },
    trixie: { regularSecurityEnd: '2028-08-09', securityEnd: '2030-06-30' },
  },
  images: {},
};

describe('release support, from the locked dates and today', () => {
  test.each([
    ['trixie', '2026-12-07', 'supported', 1301],
    ['trixie', '2030-04-01', 'ending', 90],
    ['trixie', '2030-06-30', 'ending', 0],
    ['trixie', '2030-07-01', 'ended', -1],
    ['bullseye', '2026-12-07', 'ended', -98],
  ])('%s on %s: %s (%i days left)', (dist, today, state, daysLeft) => {
    const { model } = load(fixture);
    expect(releaseSupport(model, lock, dist, today)).toMatchObject({ state, daysLeft });
  });

  test('no date locked: unknown, and neither an error nor a warning', () => {
    const { model, yaml } = load(fixture);
    const noDates: Lock = { version: 1, images: {} };
    expect(releaseSupport(model, noDates, 'trixie', '2040-01-01').state).toBe('unknown');
    expect(lifecycleIssues(yaml, model, noDates, '2040-01-01')).toEqual({ errors: [], warnings: [] });
  });

  test('retired in the catalog: retired, whatever the date', () => {
    const { model } = load(retiredFixture);
    expect(releaseSupport(model, lock, 'bullseye', '2026-12-07')).toMatchObject({
      state: 'retired',
      retired: true,
      securityEnd: '2026-08-31',
    });
  });
});

describe('validate: an image on a release past its security support is refused, at its line', () => {
  test('each image on bullseye is an error naming the date and what to do; the trixie ones are fine', () => {
    const { model, yaml } = load(fixture);
    const { errors, warnings } = lifecycleIssues(yaml, model, lock, '2026-12-07');
    expect(warnings).toEqual([]);
    expect(errors.map(formatIssue)).toEqual([
      'catalog.yaml:11:27 minideb.distributions.1: minideb-bullseye is on Debian 11 (bullseye), whose security support ended 2026-08-31 (distro-info-data): move it to trixie, or retire the release (distributions.bullseye.retired: true) to stop building it',
      expect.stringMatching(
        /^catalog\.yaml:\d+:\d+ accelerators\.vendor\.variants\.std: vendor-std is on Debian 11 \(bullseye\), whose security support ended 2026-08-31/,
      ),
    ]);
    // The variant's own line: where the image is declared.
    const line = fixture.split('\n').findIndex((l) => l.trim() === 'std:') + 1;
    expect(errors[1].line).toBe(line);
  });

  test(`within ${SUPPORT_WARNING_DAYS} days of the end: a warning at the same place, no error`, () => {
    const { model, yaml } = load(fixture);
    const { errors, warnings } = lifecycleIssues(yaml, model, lock, '2030-05-01');
    expect(errors.filter((e) => e.message.includes('trixie)'))).toEqual([]);
    expect(warnings.map((w) => w.message)).toContain(
      'minideb-trixie is on Debian 13 (trixie), whose security support ends 2030-06-30 (in 60 days): plan its move to a supported release',
    );
  });

  test('a retired release is neither an error nor a warning; a retired default distribution is an error', () => {
    const { model, yaml } = load(retiredFixture);
    expect(lifecycleIssues(yaml, model, lock, '2026-12-07')).toEqual({ errors: [], warnings: [] });
    const both = load(
      retiredFixture.replace(
        'trixie: { version: "13", python: "3.13" }',
        'trixie: { version: "13", python: "3.13", retired: true }',
      ),
    );
    expect(lifecycleIssues(both.yaml, both.model, lock, '2026-12-07').errors.map(formatIssue)).toEqual([
      'catalog.yaml:6:22 defaultDistribution: the default distribution "trixie" is retired: make a supported release the default',
    ]);
  });
});

describe('a retired release: nothing is built on it, and it says why', () => {
  const { model } = load(retiredFixture);
  const plan = planImages(model, lock);

  test('the plan carries each image support end; the retired ones are marked', () => {
    expect(plan.images.map((i) => [i.name, i.support.securityEnd, i.support.retired])).toEqual([
      ['minideb-trixie', '2030-06-30', false],
      ['minideb-bullseye', '2026-08-31', true],
      ['opencl-pocl', '2030-06-30', false],
      ['opencl-app', '2030-06-30', false],
      ['vendor-std', '2026-08-31', true],
    ]);
  });

  test('build selection leaves them out; naming one is an error that says why', () => {
    expect(selectWithBases(plan, []).map((i) => i.name)).toEqual(['minideb-trixie', 'opencl-pocl', 'opencl-app']);
    expect(selectWithBases(plan, ['minideb']).map((i) => i.name)).toEqual(['minideb-trixie']);
    expect(() => selectWithBases(plan, ['vendor-std'])).toThrow(
      'vendor-std is on Debian 11 (bullseye), retired in the catalog (security support ended 2026-08-31): it is no longer built or published, and its last published tags stay pullable',
    );
  });

  test('the bake file keeps their targets, in no group, and labels every image with its support end', () => {
    const bake = renderBake(plan, model.catalog);
    expect(Object.keys(bake.target)).toContain('vendor-std');
    expect(Object.values(bake.group).flatMap((g) => g.targets)).not.toContain('vendor-std');
    expect(Object.values(bake.group).flatMap((g) => g.targets)).not.toContain('minideb-bullseye');
    expect(bake.target['vendor-std'].labels?.['io.accelbase.support-end']).toBe('2026-08-31');
    expect(bake.target['opencl-pocl'].labels?.['io.accelbase.support-end']).toBe('2030-06-30');
  });
});
