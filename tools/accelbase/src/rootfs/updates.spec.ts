import { expect, test } from 'vitest';
import { UserError } from '../errors.js';
import { updateSources } from '../datasources/debian/suites.js';
import { newestReleaseEpoch } from './updates.js';

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
  await expect(newestReleaseEpoch(updateSources(MIRROR, 'trixie', SECURITY), fetchEpoch)).rejects.toThrow('no Release for trixie');
});

test('a programming error while reading a Release is not taken for a missing suite', async () => {
  const fetchEpoch = async (_m: string, suite: string) => {
    if (suite.endsWith('-updates')) throw new TypeError('boom');
    return 1;
  };
  await expect(newestReleaseEpoch(updateSources(MIRROR, 'bookworm'), fetchEpoch)).rejects.toThrow(TypeError);
});
