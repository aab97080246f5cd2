import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { UserError } from '../errors.js';
import { updateSources } from '../datasources/debian/suites.js';
import { newestReleaseEpoch, unservedFilesError } from './updates.js';

const MIRROR = 'http://127.0.0.1:9/debian';
const SECURITY = 'http://127.0.0.1:9/debian-security';

test('a suite installs from itself, -updates on the mirror and -security on the security archive', () => {
  expect(updateSources(`${MIRROR}/`, 'bookworm', `${SECURITY}/`)).toEqual([
    { mirror: MIRROR, suite: 'bookworm' },
    { mirror: MIRROR, suite: 'bookworm-updates' },
    { mirror: SECURITY, suite: 'bookworm-security' },
  ]);
  expect(updateSources(MIRROR, 'trixie').map((s) => s.suite)).toEqual(['trixie', 'trixie-updates']);
});

test('SOURCE_DATE_EPOCH is the newest Release date; a missing -updates suite is left out, a missing suite is an error', async () => {
  const dates: Record<string, number> = { bullseye: 1_700_000_000, 'bullseye-security': 1_760_000_000 };
  const fetchEpoch = async (_m: string, suite: string) => {
    if (dates[suite] === undefined) throw new UserError(`no Release for ${suite}`);
    return dates[suite];
  };
  expect(await newestReleaseEpoch(updateSources(MIRROR, 'bullseye', SECURITY), fetchEpoch)).toBe(1_760_000_000);
  await expect(newestReleaseEpoch(updateSources(MIRROR, 'trixie', SECURITY), fetchEpoch)).rejects.toThrow(
    'no Release for trixie',
  );
});

test('a programming error while reading a Release is not taken for a missing suite', async () => {
  const fetchEpoch = async (_m: string, suite: string) => {
    if (suite.endsWith('-updates')) throw new TypeError('boom');
    return 1;
  };
  await expect(newestReleaseEpoch(updateSources(MIRROR, 'bookworm'), fetchEpoch)).rejects.toThrow(TypeError);
});

// apt-404.txt is apt-get's own output, downloading a package whose index entry a 127.0.0.1 archive kept
// after its file was gone from the pool.
test('a package file the archive lists but answers 404 for is named, decoded, as no longer served', () => {
  const apt = readFileSync(join(import.meta.dirname, 'fixtures', 'apt-404.txt'), 'utf8');
  const error = unservedFilesError('bullseye', apt);
  expect(error).toBeInstanceOf(UserError);
  expect(error!.message).toMatch(
    /^rootfs: the bullseye archive lists 1 package file it no longer serves \(404\), e\.g\. tinyrt_1\.0-1\+deb11u1_amd64\.deb under http:\/\/127\.0\.0\.1:18931\/pool\/: .*take it out of the catalog$/,
  );
});

test.each([
  [
    'a refused connection',
    'E: Failed to fetch http://127.0.0.1:9/pool/main/t/tinyrt_1.0_amd64.deb  Could not connect to 127.0.0.1:9 (127.0.0.1). - connect (111: Connection refused)',
  ],
  [
    'a server error',
    'E: Failed to fetch http://127.0.0.1:9/pool/main/t/tinyrt_1.0_amd64.deb  500  Internal Server Error [IP: 127.0.0.1 9]',
  ],
  ['a dpkg failure', 'E: Sub-process /usr/bin/dpkg returned an error code (1)'],
])('%s is not taken for an unserved file', (_, apt) => {
  expect(unservedFilesError('bookworm', apt)).toBeUndefined();
});
