import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { PlannedImage } from '../../plan/plan.js';
import { recordingReporter } from '../../reporter.js';
import { readBuildResults, readPartsFile, type BuildResult } from '../state.js';
import { pinnedResult, writeBuildRecords } from './records.js';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const images = [
  { name: 'base', base: null },
  { name: 'app', base: { name: 'base', ref: 'ns/base:trixie' } },
  { name: 'other', base: { name: 'base', ref: 'ns/base:trixie' } },
] as unknown as PlannedImage[];
const outcome = (image: string, o: Partial<BuildResult>): BuildResult => ({
  image,
  repository: `r/${image}`,
  platforms: ['linux/arm64'],
  status: 'built',
  tags: [],
  durationS: 1,
  ...o,
});
const results = [
  outcome('base', { digest: D('a'), installed: { 'linux/arm64': { libc6: '2.41-12' } } }),
  outcome('app', { digest: D('b'), status: 'cached' }),
  outcome('other', { status: 'failed', reason: 'exit code 1' }),
];

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('results.json always; a split build also writes its parts: pushed images only, each with its base part', () => {
  root = mkdtempSync(join(tmpdir(), 'accelbase-records-'));
  const reporter = recordingReporter();
  const file = join(root, 'parts.json');
  const lockHash = D('c');
  writeBuildRecords(results, images, {
    root,
    date: '20261128',
    output: 'push',
    platforms: ['linux/arm64'],
    revision: '860c190',
    parts: { file, lockHash },
    reporter,
  });
  expect(readBuildResults(root)).toEqual(results);
  expect(readPartsFile(file)).toEqual({
    version: 1,
    platform: 'linux/arm64',
    revision: '860c190',
    lockHash,
    date: '20261128',
    parts: [
      {
        image: 'base',
        repository: 'r/base',
        platform: 'linux/arm64',
        digest: D('a'),
        status: 'built',
        durationS: 1,
        installed: { libc6: '2.41-12' },
      },
      {
        image: 'app',
        repository: 'r/app',
        platform: 'linux/arm64',
        digest: D('b'),
        baseDigest: D('a'),
        status: 'cached',
        durationS: 1,
      },
    ],
  });
  expect(reporter.lines).toEqual([`build: 2 parts for linux/arm64 in ${file}`]);
});

test('without parts, only results.json', () => {
  root = mkdtempSync(join(tmpdir(), 'accelbase-records-'));
  const reporter = recordingReporter();
  writeBuildRecords(results, images, { root, date: 'd', output: 'cache', platforms: [], reporter });
  expect(readBuildResults(root)).toEqual(results);
  expect(existsSync(join(root, 'parts.json'))).toBe(false);
  expect(reporter.lines).toEqual([]);
});

test('a pinned base stands in as a cached result with its digest', () => {
  expect(pinnedResult({ image: 'base', repository: 'r/base', digest: D('a'), epoch: 5 })).toEqual({
    image: 'base',
    repository: 'r/base',
    platforms: [],
    status: 'cached',
    tags: [],
    durationS: 0,
    digest: D('a'),
  });
});
