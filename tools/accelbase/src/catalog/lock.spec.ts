import { expect, test } from 'vitest';
import { DebVersion } from './grammar.js';
import { Lock } from './lock.js';

// Versions as dpkg records them in real images (hyphens inside the upstream version included).
test.each([
  '2.41-12+deb13u5',
  '1:4.17.4-2+deb13u1',
  '3.1-20221030-2',
  '1:4.16.0-2+really2.41-5',
  '2026f-0+deb13u1',
  '7.88.1-10+deb12u14',
])('a Debian version: %s', (v) => {
  expect(DebVersion.safeParse(v).success).toBe(true);
});

test.each(['', '-1', '1.0-', '1.0 ; rm -rf /', '1.0\n', 'a1.0', '1:'])('not a Debian version: %j', (v) => {
  expect(DebVersion.safeParse(v).success).toBe(false);
});

test('the lock records every installed package per platform', () => {
  const lock = Lock.parse({
    version: 1,
    images: {
      x: {
        updated: '2026-12-01',
        platforms: {
          'linux/amd64': { packages: {}, installed: { libedit2: '3.1-20221030-2', login: '1:4.16.0-2+really2.41-5' } },
        },
      },
    },
  });
  expect(lock.images.x.platforms['linux/amd64']?.installed?.libedit2).toBe('3.1-20221030-2');
  expect(
    Lock.safeParse({
      version: 1,
      images: {
        x: { updated: '2026-12-01', platforms: { 'linux/amd64': { packages: {}, installed: { 'Bad Name': '1.0' } } } },
      },
    }).success,
  ).toBe(false);
});

test('the lock text does not depend on the order a writer built its entries in', async () => {
  const { serializeLock } = await import('./lock.js');
  const d = `sha256:${'1'.repeat(64)}`;
  const built = {
    version: 1 as const,
    images: {
      x: {
        updated: '2026-12-01',
        platforms: { 'linux/amd64': { packages: {}, baseDigest: d, installed: { libc6: '2.41-12' }, digest: d } },
      },
    },
  };
  const reread = Lock.parse(built);
  expect(serializeLock(built)).toBe(serializeLock(reread));
});
