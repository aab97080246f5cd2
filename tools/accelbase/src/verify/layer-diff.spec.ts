import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import { compareManifests, diffConfigs, diffLayers } from './layer-diff.js';

// Real layer tarballs, packed by GNU tar the way BuildKit's differ lists a layer (sorted, numeric owners).
const work = mkdtempSync(join(tmpdir(), 'accelbase-layer-diff-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function layer(
  name: string,
  files: Record<string, string>,
  o: { mtime?: string; link?: [string, string] } = {},
): Buffer {
  const dir = join(work, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  if (o.link) symlinkSync(o.link[1], join(dir, o.link[0]));
  const out = join(work, `${name}.tar`);
  execFileSync('tar', [
    '--create',
    '--format=pax',
    '--sort=name',
    '--numeric-owner',
    '--owner=0',
    '--group=0',
    `--mtime=${o.mtime ?? '@1764288000'}`,
    '--file',
    out,
    '-C',
    dir,
    '.',
  ]);
  return gzipSync(readFileSync(out));
}

const base = {
  'usr/lib/libOpenCL.so.1': 'ELF one',
  'var/lib/dpkg/status': 'Package: clinfo\n',
  'etc/os-release': 'ID=debian\n',
};

describe('diffLayers', () => {
  test('identical trees packed twice: no difference', () => {
    expect(diffLayers(layer('a1', base), layer('a2', base))).toEqual([]);
  });
  test.each([
    [
      'a changed file',
      { ...base, 'var/lib/dpkg/status': 'Package: clinfo\nVersion: 2\n' },
      {},
      [{ path: 'var/lib/dpkg/status', change: 'content' }],
    ],
    [
      'an added file',
      { ...base, 'var/log/dpkg.log': 'install\n' },
      {},
      [
        { path: 'var/log/', change: 'added' },
        { path: 'var/log/dpkg.log', change: 'added' },
      ],
    ],
    [
      'a new link',
      base,
      { link: ['usr/lib/libOpenCL.so', 'libOpenCL.so.1'] as [string, string] },
      [{ path: 'usr/lib/libOpenCL.so', change: 'added' }],
    ],
  ])('%s is named', (name, files, o, expected) => {
    expect(diffLayers(layer(`p-${name}`, base), layer(`r-${name}`, files, o))).toEqual(expected);
  });
  test('a removed file and a clock-dated mtime: every path, with the fields that differ', () => {
    const { 'etc/os-release': _, ...without } = base;
    const d = diffLayers(layer('p-mtime', base), layer('r-mtime', without, { mtime: '@1796005301' }));
    expect(d.find((x) => x.path === 'etc/os-release')).toEqual({ path: 'etc/os-release', change: 'removed' });
    expect(d.find((x) => x.path === 'var/lib/dpkg/status')).toEqual({
      path: 'var/lib/dpkg/status',
      change: 'metadata',
      fields: ['mtime'],
    });
  });
});

describe('diffConfigs and compareManifests', () => {
  test('names the JSON paths that differ', () => {
    const a = {
      created: '2026-11-30T00:00:00Z',
      config: { Labels: { x: '1', y: '2' } },
      history: [{ created: 'a' }, { created: 'b' }],
    };
    const b = {
      created: '2026-12-01T00:00:00Z',
      config: { Labels: { x: '1', y: '3' } },
      history: [{ created: 'a' }, { created: 'c' }],
    };
    expect(diffConfigs(a, b)).toEqual(['config.Labels.y', 'created', 'history[1].created']);
    expect(diffConfigs(a, structuredClone(a))).toEqual([]);
  });
  test.each([
    ['identical', { config: { digest: 'c1' }, layers: [{ digest: 'l1' }] }, { identical: true }],
    [
      'second layer',
      { config: { digest: 'c2' }, layers: [{ digest: 'l1' }, { digest: 'l3' }] },
      { identical: false, config: true, layer: { index: 1, published: 'l2', rebuilt: 'l3' } },
    ],
    [
      'config only',
      { config: { digest: 'c2' }, layers: [{ digest: 'l1' }, { digest: 'l2' }] },
      { identical: false, config: true },
    ],
    [
      'one layer fewer',
      { config: { digest: 'c1' }, layers: [{ digest: 'l1' }] },
      { identical: false, config: false, layer: { index: 1, published: 'l2' } },
    ],
  ])('%s', (_, rebuilt, expected) => {
    const published =
      _ === 'identical'
        ? { config: { digest: 'c1' }, layers: [{ digest: 'l1' }] }
        : { config: { digest: 'c1' }, layers: [{ digest: 'l1' }, { digest: 'l2' }] };
    expect(compareManifests(published, rebuilt)).toEqual(expected);
  });
});
