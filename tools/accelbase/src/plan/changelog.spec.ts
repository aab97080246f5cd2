import { expect, test } from 'vitest';
import type { Lock } from '../catalog/lock.js';
import { changelogMarkdown, packageMoves } from './changelog.js';
import { outdatedPackages } from './outdated.js';

const lock = (installed: Record<string, string>, more: Record<string, string> = {}): Lock => ({
  version: 1,
  images: {
    'minideb-bookworm': { updated: '2026-12-01', platforms: { 'linux/amd64': { packages: {}, installed } } },
    'opencl-pocl': {
      updated: '2026-12-01',
      platforms: { 'linux/amd64': { packages: {}, installed: { ...installed, ...more } } },
    },
  },
});

const suites: Record<string, string> = {
  '2.36-9+deb12u11': 'bookworm-security',
  '2025a-0+deb12u1': 'bookworm-updates',
};
const suiteOf = (_i: string, _p: string, _n: string, v: string) => suites[v] ?? 'bookworm';

test('moves: each changed package per image and platform, security marked from the suite', () => {
  const before = lock({ libc6: '2.36-9+deb12u10', tzdata: '2024a-0+deb12u1', gone: '1.0-1' }, { clinfo: '3.0-1' });
  const after = lock({ libc6: '2.36-9+deb12u11', tzdata: '2025a-0+deb12u1' }, { clinfo: '3.0-1', pocl: '6.0-1' });
  const moves = packageMoves(before, after, suiteOf);
  expect(moves.map((m) => [m.image, m.package, m.from, m.to, m.security])).toEqual([
    ['minideb-bookworm', 'gone', '1.0-1', undefined, false],
    ['minideb-bookworm', 'libc6', '2.36-9+deb12u10', '2.36-9+deb12u11', true],
    ['minideb-bookworm', 'tzdata', '2024a-0+deb12u1', '2025a-0+deb12u1', false],
    ['opencl-pocl', 'gone', '1.0-1', undefined, false],
    ['opencl-pocl', 'libc6', '2.36-9+deb12u10', '2.36-9+deb12u11', true],
    ['opencl-pocl', 'pocl', undefined, '6.0-1', false],
    ['opencl-pocl', 'tzdata', '2024a-0+deb12u1', '2025a-0+deb12u1', false],
  ]);
  const md = changelogMarkdown(moves);
  expect(md).toContain(
    '## minideb-bookworm (linux/amd64)\n\n- libc6 2.36-9+deb12u10 -> 2.36-9+deb12u11 (security)\n- gone 1.0-1 -> (removed)\n- tzdata 2024a-0+deb12u1 -> 2025a-0+deb12u1\n',
  );
  expect(md).toContain('- pocl (new) -> 6.0-1\n');
  expect(md).toContain('7 package changes, 2 security fixes.');
});

test('a quiet night: no moves, and the changelog says so', () => {
  const same = lock({ libc6: '2.36-9+deb12u10' });
  expect(packageMoves(same, same, suiteOf)).toEqual([]);
  expect(changelogMarkdown([])).toBe('# Package updates\n\nNo installed package changed.\n');
});

test('outdated: only strictly newer versions by dpkg ordering, security flagged', () => {
  const newest: Record<string, { version: string; suite: string }> = {
    libc6: { version: '2.36-9+deb12u11', suite: 'bookworm-security' },
    tzdata: { version: '2024a-0+deb12u1', suite: 'bookworm' },
    perl: { version: '5.36.0-7+deb12u2', suite: 'bookworm-updates' },
    epoch: { version: '1:0.9-1', suite: 'bookworm' },
  };
  const installed = {
    libc6: '2.36-9+deb12u10',
    tzdata: '2024a-0+deb12u1',
    perl: '5.36.0-7+deb12u1~bpo1',
    epoch: '2.0-1',
    vendor: '1.0',
  };
  expect(outdatedPackages(installed, (n) => newest[n])).toEqual([
    { package: 'epoch', installed: '2.0-1', newest: '1:0.9-1', suite: 'bookworm', security: false },
    {
      package: 'libc6',
      installed: '2.36-9+deb12u10',
      newest: '2.36-9+deb12u11',
      suite: 'bookworm-security',
      security: true,
    },
    {
      package: 'perl',
      installed: '5.36.0-7+deb12u1~bpo1',
      newest: '5.36.0-7+deb12u2',
      suite: 'bookworm-updates',
      security: false,
    },
  ]);
});
