import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parseCatalog } from '../catalog/load.js';
import { emptyLock } from '../catalog/lock.js';
import { planImages } from '../plan/plan.js';
import { renderBake } from './bake-file.js';

const fixture = readFileSync(join(import.meta.dirname, '..', 'catalog', 'fixtures', 'catalog.yaml'), 'utf8');
const { model } = parseCatalog('catalog.yaml', fixture, new Set(['onnxruntime.py']));
const bake = renderBake(planImages(model, emptyLock()), model.catalog);

test('one target per image, groups per accelerator and for minideb', () => {
  expect(Object.keys(bake.target)).toEqual([
    'minideb-trixie',
    'minideb-bullseye',
    'opencl-pocl',
    'opencl-app',
    'vendor-std',
  ]);
  expect(bake.group).toEqual({
    default: { targets: ['minideb-trixie', 'minideb-bullseye', 'opencl-pocl', 'opencl-app', 'vendor-std'] },
    minideb: { targets: ['minideb-trixie', 'minideb-bullseye'] },
    opencl: { targets: ['opencl-pocl', 'opencl-app'] },
    vendor: { targets: ['vendor-std'] },
  });
});

test('each image is chained to its base through ARG BASE_IMAGE and a target: context', () => {
  expect(bake.target['opencl-app']).toMatchObject({
    context: 'images/opencl-app',
    dockerfile: 'Dockerfile',
    args: { BASE_IMAGE: 'example/opencl-pocl:trixie' },
    contexts: { 'example/opencl-pocl:trixie': 'target:opencl-pocl' },
    platforms: ['linux/amd64'],
  });
  expect(bake.target['vendor-std'].contexts).toEqual({ 'example/minideb:bullseye': 'target:minideb-bullseye' });
});

test('minideb builds from the rootfs folder with the rendered Dockerfile', () => {
  expect(bake.target['minideb-trixie']).toMatchObject({
    context: '.accelbase/rootfs/trixie',
    dockerfile: '../../../images/minideb/Dockerfile',
    tags: ['${REGISTRY}/minideb:latest', '${REGISTRY}/minideb:trixie', '${REGISTRY}/minideb:13'],
  });
  expect(join('.accelbase/rootfs/trixie', bake.target['minideb-trixie'].dockerfile)).toBe('images/minideb/Dockerfile');
});

test('tags come from the REGISTRY variable; the file stays portable', () => {
  expect(bake.variable.REGISTRY.default).toBe('example');
  expect(bake.target['opencl-pocl'].tags).toEqual(['${REGISTRY}/opencl-pocl:latest', '${REGISTRY}/opencl-pocl:trixie']);
  expect(bake.target['opencl-pocl']['cache-from']).toEqual(['type=registry,ref=${REGISTRY}/opencl-pocl:trixie']);
  expect(JSON.stringify(bake)).not.toMatch(/network|host/);
  expect(bake.target['opencl-pocl'].labels['org.opencontainers.image.revision']).toBe('${REVISION}');
});
