import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parseCatalog } from '../catalog/load.js';
import { emptyLock } from '../catalog/lock.js';
import { planImages } from '../plan/plan.js';
import type { ArchiveVersion } from '../plan/outdated.js';
import { imagesToRebuild, outdatedImages, type OutdatedReport } from './outdated.js';

const fixture = readFileSync(join(import.meta.dirname, '..', 'catalog', 'fixtures', 'catalog.yaml'), 'utf8');
const { model } = parseCatalog('catalog.yaml', fixture, new Set(['onnxruntime.py']));
const plan = planImages(model, emptyLock());
const report = (image: string, outdated: number): OutdatedReport => ({
  image,
  platform: 'linux/amd64',
  installedCount: 10,
  known: true,
  outdated: Array.from({ length: outdated }, (_, i) => ({
    package: `p${i}`,
    installed: '1',
    newest: '2',
    suite: 'trixie-security',
    security: true,
  })),
});

test('an outdated base marks itself and every image built on it, through the chain', () => {
  const minideb = plan.images.find((i) => i.kind === 'minideb' && i.dist === 'trixie')!;
  const dependants = plan.images
    .filter(
      (i) =>
        i.base && [i.base.name, plan.images.find((b) => b.name === i.base!.name)?.base?.name].includes(minideb.name),
    )
    .map((i) => i.name);
  expect(dependants.length).toBeGreaterThan(0);
  const marked = imagesToRebuild(plan, [report(minideb.name, 3)]);
  expect(marked.has(minideb.name)).toBe(true);
  for (const d of dependants) expect(marked.has(d)).toBe(true);
  // Images on another distribution's minideb are not touched.
  for (const i of plan.images.filter((x) => x.dist !== 'trixie')) expect(marked.has(i.name)).toBe(false);
});

test('nothing outdated, nothing marked', () => {
  expect([
    ...imagesToRebuild(
      plan,
      plan.images.map((i) => report(i.name, 0)),
    ),
  ]).toEqual([]);
});

test('outdated: a newer dependency is reported (security marked); a package the catalog pins is held to its range and never is', async () => {
  const pocl = plan.images.find((i) => i.name === 'opencl-pocl')!;
  const pinned = pocl.packages[0].name;
  const lock = {
    version: 1 as const,
    images: {
      'opencl-pocl': {
        updated: '2026-12-01',
        platforms: { 'linux/amd64': { packages: {}, installed: { [pinned]: '0.1-1', libc6: '2.41-12' } } },
      },
    },
  };
  const offers: Record<string, ArchiveVersion> = {
    [pinned]: { version: '99.0-1', suite: 'trixie' },
    libc6: { version: '2.41-12+deb13u1', suite: 'trixie-security' },
  };
  const reports = await outdatedImages('/nonexistent', plan, lock, async () => (name) => offers[name], ['opencl-pocl']);
  const mine = reports.find((r) => r.image === 'opencl-pocl' && r.platform === 'linux/amd64')!;
  expect(mine).toMatchObject({ known: true, installedCount: 2 });
  expect(mine.outdated).toEqual([
    { package: 'libc6', installed: '2.41-12', newest: '2.41-12+deb13u1', suite: 'trixie-security', security: true },
  ]);
  // Its base has no installed set recorded (and no rootfs tarball here): unknown, not "current".
  expect(reports.find((r) => r.image === pocl.base!.name)).toMatchObject({ known: false, outdated: [] });
});
