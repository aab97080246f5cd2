import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parseCatalog } from '../catalog/load.js';
import { emptyLock } from '../catalog/lock.js';
import { planImages } from '../plan/plan.js';
import {
  attestSpec,
  bakeArgs,
  type BakeInvocation,
  cacheSpecs,
  HOST_NETWORK,
  hostNetworkBake,
  metadataDigest,
  outputSpec,
  type TargetOverrides,
  targetOverrides,
} from './bake.js';
import { sourceUrls, unreachableImages } from '../workflows/preflight.js';

const fixture = readFileSync(join(import.meta.dirname, '..', 'catalog', 'fixtures', 'catalog.yaml'), 'utf8');
const { model } = parseCatalog('catalog.yaml', fixture, new Set(['onnxruntime.py']));
const plan = planImages(model, emptyLock(), { namespace: '127.0.0.1:5000/ab' });
const image = (name: string) => plan.images.find((i) => i.name === name)!;

test.each([
  [
    'one file, one target',
    { files: ['/w/docker-bake.json'], targets: ['t'] },
    ['buildx', 'bake', '--file', '/w/docker-bake.json', '--progress', 'rawjson', 't'],
  ],
  [
    'the host-network file last, with its entitlement; a builder; the metadata file',
    {
      files: ['/w/docker-bake.json', '/w/host-network.json'],
      allow: [HOST_NETWORK],
      builder: 'native',
      metadataFile: '/w/m.json',
      targets: ['t'],
    },
    [
      'buildx',
      '--builder',
      'native',
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
      '/w/m.json',
      't',
    ],
  ],
  [
    'overrides in order, --no-cache, --push, several targets',
    {
      files: ['f'],
      allow: ['fs.read=/src'],
      set: ['*.platform=linux/amd64', 'a.output=type=cacheonly'],
      noCache: true,
      push: true,
      targets: ['b', 'c'],
    },
    [
      'buildx',
      'bake',
      '--file',
      'f',
      '--allow',
      'fs.read=/src',
      '--progress',
      'rawjson',
      '--set',
      '*.platform=linux/amd64',
      '--set',
      'a.output=type=cacheonly',
      '--no-cache',
      '--push',
      'b',
      'c',
    ],
  ],
] as const)('bake arguments: %s', (_, invocation, want) => {
  expect(
    bakeArgs({ ...invocation, files: [...invocation.files], targets: [...invocation.targets] } as BakeInvocation),
  ).toEqual(want);
});

test.each([
  ['nothing overridden', {}, []],
  ['platforms on every target', { platform: ['linux/amd64', 'linux/arm64'] }, ['t.platform=linux/amd64,linux/arm64']],
  [
    'tags, a label, build args in their order',
    {
      tags: ['r/t:a', 'r/t:b'],
      labels: { 'org.opencontainers.image.created': 'c' },
      args: { SOURCE_DATE_EPOCH: '1', http_proxy: 'http://127.0.0.1:3142' },
    },
    [
      't.tags=r/t:a',
      't.tags=r/t:b',
      't.labels.org.opencontainers.image.created=c',
      't.args.SOURCE_DATE_EPOCH=1',
      't.args.http_proxy=http://127.0.0.1:3142',
    ],
  ],
  [
    'exporter, cache, attestation and a named context, in that order whatever the object order',
    {
      contexts: { 'example/base:trixie': 'docker-image://r/base@sha256:abc' },
      attest: 'type=provenance,disabled=true',
      'cache-to': ['type=local,dest=/c'],
      'cache-from': ['type=local,src=/c'],
      output: 'type=docker',
    },
    [
      't.output=type=docker',
      't.cache-from=type=local,src=/c',
      't.cache-to=type=local,dest=/c',
      't.attest=type=provenance,disabled=true',
      't.contexts.example/base:trixie=docker-image://r/base@sha256:abc',
    ],
  ],
] as const)('target overrides: %s', (_, o, want) => {
  expect(targetOverrides('t', o as TargetOverrides)).toEqual(want);
});

test.each([
  [undefined, 'type=provenance,disabled=true'],
  ['false', 'type=provenance,disabled=true'],
  ['min', 'type=provenance,mode=min'],
  ['max', 'type=provenance,mode=max'],
] as const)('attestation for provenance %s', (provenance, want) => {
  expect(attestSpec(provenance)).toBe(want);
});

test('the host-network override names every target', () => {
  expect(JSON.parse(hostNetworkBake(['a', 'b']))).toEqual({
    target: { a: { network: 'host' }, b: { network: 'host' } },
  });
});

test('digests come from the metadata file, checked', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  expect(metadataDigest({ 'opencl-pocl': { 'containerimage.digest': digest } }, 'opencl-pocl')).toBe(digest);
  expect(metadataDigest({ 'opencl-pocl': { 'containerimage.digest': 'nope' } }, 'opencl-pocl')).toBeUndefined();
  expect(metadataDigest(null, 'x')).toBeUndefined();
});

test('preflight: vendor and pip sources are probed; an unreachable one skips the image and its dependants', async () => {
  expect(sourceUrls(image('vendor-std'), model.catalog)).toEqual([
    'https://vendor.example.com/key.gpg',
    'https://vendor.example.com/apt/dists/stable/InRelease',
  ]);
  expect(sourceUrls(image('opencl-pocl'), model.catalog)).toEqual([]);
  const probed: string[] = [];
  // Mock: the vendor host cannot exist here; the probe function is what is replaced, nothing else.
  const skips = await unreachableImages(plan.images, model.catalog, async (url) => {
    probed.push(url);
    return url.includes('vendor.example.com') ? 'ENOTFOUND' : undefined;
  });
  expect([...skips]).toEqual([['vendor-std', 'unreachable source https://vendor.example.com/key.gpg (ENOTFOUND)']]);
  expect(probed.sort()).toEqual([
    'https://example.org/models/model.onnx',
    'https://pypi.example.org/simple/',
    'https://vendor.example.com/apt/dists/stable/InRelease',
    'https://vendor.example.com/key.gpg',
  ]);
});

test.each([
  [
    'registry',
    ['linux/amd64', 'linux/arm64'],
    {
      from: [
        'type=registry,ref=r/x:cache-amd64',
        'type=registry,ref=r/x:cache-arm64',
        'type=registry,ref=r/x:cache-amd64-arm64',
      ],
      to: ['type=registry,ref=r/x:cache-amd64-arm64,mode=max,image-manifest=true,oci-mediatypes=true'],
    },
  ],
  [
    'registry',
    ['linux/amd64'],
    {
      from: ['type=registry,ref=r/x:cache-amd64'],
      to: ['type=registry,ref=r/x:cache-amd64,mode=max,image-manifest=true,oci-mediatypes=true'],
    },
  ],
  [
    'local',
    ['linux/arm64'],
    { from: ['type=local,src=/c/x-cache-arm64'], to: ['type=local,dest=/c/x-cache-arm64,mode=max'] },
  ],
  ['none', ['linux/arm64'], undefined],
] as const)('cache %s for %j', (mode, platforms, want) => {
  expect(cacheSpecs(mode, { repository: 'r/x', image: 'x', platforms, localDir: '/c' })).toEqual(want);
});

test('outputSpec: a push and a verify rebuild write an OCI layout with rewritten timestamps; load and cache do not', () => {
  expect(outputSpec('push', '/w/x.oci')).toBe('type=oci,dest=/w/x.oci,tar=false,rewrite-timestamp=true');
  expect(outputSpec('layout', '/w/x.oci')).toBe('type=oci,dest=/w/x.oci,tar=false,rewrite-timestamp=true');
  expect(() => outputSpec('push')).toThrow(/layout folder/);
  expect(outputSpec('load')).toBe('type=docker');
  expect(outputSpec('cache')).toBe('type=cacheonly');
});
