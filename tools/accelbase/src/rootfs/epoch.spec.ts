import { afterEach, describe, expect, it } from 'vitest';
import { archive, closeServers } from '../test/archive.js';
import { parseRelease } from '../datasources/debian/release.js';
import { resolveRunConfig } from '../config/run-config.js';
import { chooseEpoch, fetchReleaseEpoch } from './epoch.js';

afterEach(closeServers);

// The Date: line of test/archive.ts's suite.
const ARCHIVE_DATE = Date.UTC(2025, 8, 6, 9, 42, 15) / 1000;

describe('release epoch', () => {
  it('reads the Release date as the default epoch', () => {
    const text =
      'Origin: Debian\nSuite: stable\nCodename: bookworm\nDate: Sat, 10 May 2025 08:52:02 UTC\nAcquire-By-Hash: yes\nSHA256:\n 0000000000000000000000000000000000000000000000000000000000000000 0 main/binary-amd64/Packages\n';
    expect(parseRelease(text, 'Release').date).toBe(Date.UTC(2025, 4, 10, 8, 52, 2) / 1000);
    expect(
      parseRelease(
        'Suite: x\nSHA256:\n 0000000000000000000000000000000000000000000000000000000000000000 0 main/binary-amd64/Packages\n',
        'Release',
      ).date,
    ).toBeUndefined();
  });

  it('fetches the date from InRelease, or from Release where there is none', async () => {
    const signed = await archive();
    expect(await fetchReleaseEpoch(`${signed.url}/`, 'bookworm')).toBe(ARCHIVE_DATE);
    const unsigned = await archive({ signed: false });
    expect(await fetchReleaseEpoch(unsigned.url, 'bookworm')).toBe(ARCHIVE_DATE);
    expect(unsigned.requests).toEqual(['/debian/dists/bookworm/InRelease', '/debian/dists/bookworm/Release']);
  });

  it('names the suite and mirror when there is no Release', async () => {
    const a = await archive();
    await expect(fetchReleaseEpoch(a.url, 'trixie')).rejects.toThrow(
      `rootfs: no Release date for trixie at ${a.url}/dists/trixie/ (is the mirror reachable?)`,
    );
  });

  it('prefers an explicit epoch, then SOURCE_DATE_EPOCH, then the Release date', () => {
    const fromEnv = (v?: string) =>
      resolveRunConfig({}, v === undefined ? {} : { SOURCE_DATE_EPOCH: v }).sourceDateEpoch;
    expect(chooseEpoch(7, 5, fromEnv('6'))).toBe(7);
    expect(chooseEpoch(undefined, 5, fromEnv(' 6 '))).toBe(6);
    expect(chooseEpoch(undefined, 5, fromEnv('soon'))).toBe(5);
    expect(chooseEpoch(undefined, 5, fromEnv())).toBe(5);
  });
});

describe('image epochs', () => {
  it('a derived image takes the newest of its base epoch and its lock date', async () => {
    const { derivedEpoch, createdAt } = await import('./epoch.js');
    expect(derivedEpoch(1764288000, '2026-11-28')).toBe(Date.UTC(2026, 10, 28) / 1000);
    expect(derivedEpoch(1900000000, '2026-11-28')).toBe(1900000000);
    expect(createdAt(1764288000)).toBe('2025-11-28T00:00:00Z');
  });
});
