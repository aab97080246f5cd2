import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { archive, closeServers, FIXTURES } from '../../test/archive.js';
import { fetchRelease, parseRelease } from './release.js';

afterEach(closeServers);

describe('parseRelease', () => {
  test('reads a real InRelease: fields, and the SHA256 section (not MD5Sum)', () => {
    const text = readFileSync(join(FIXTURES, 'InRelease.trixie-excerpt'), 'utf8');
    const r = parseRelease(text, 'http://mirror.test/debian/dists/trixie/InRelease');
    expect(r).toMatchObject({
      suite: 'stable',
      codename: 'trixie',
      components: ['main', 'contrib', 'non-free-firmware', 'non-free'],
      acquireByHash: true,
      archAllInArchIndexes: true,
    });
    expect(r.architectures).toContain('arm64');
    expect(r.files.size).toBe(8);
    expect(r.files.get('main/binary-amd64/Packages.gz')).toEqual({
      path: 'main/binary-amd64/Packages.gz',
      size: 13335627,
      sha256: '4967137e99422deb3b08e4eab8d6e756abfc826ef2c3744f50c1ab8ed053bf7e',
    });
  });

  test('a Release without SHA256 cannot be used to check anything', () => {
    expect(() => parseRelease('Suite: x\nMD5Sum:\n 0123 1 main/binary-amd64/Packages\n', 'u')).toThrow(
      /u: no SHA256 section/,
    );
  });
});

describe('fetchRelease', () => {
  test('fetchRelease alone', async () => {
    const a = await archive();
    const r = await fetchRelease({ mirror: `${a.url}/`, suite: 'bookworm' });
    expect(r.url).toBe(`${a.url}/dists/bookworm/InRelease`);
    expect(r.codename).toBe('bookworm');
  });
});

test("Debian's security archive: `updates/main` components are read as `main`, as apt reads them", () => {
  const text = `Suite: bookworm-security\nArchitectures: amd64 arm64\nComponents: updates/main updates/contrib\nSHA256:\n ${'a'.repeat(64)} 10 main/binary-amd64/Packages.xz\n`;
  expect(parseRelease(text, 'InRelease').components).toEqual(['main', 'contrib']);
});
