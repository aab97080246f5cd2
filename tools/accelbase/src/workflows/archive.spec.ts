import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, test } from 'vitest';
import { resolveRunConfig } from '../config/run-config.js';
import { recordingReporter } from '../reporter.js';
import { archive, closeServers } from '../test/archive.js';
import { makeSigningKey } from '../test/signing.js';
import { archiveLookups } from './archive.js';

const key = makeSigningKey();
const cacheHome = mkdtempSync(join(tmpdir(), 'accelbase-archive-'));
afterAll(() => {
  key.dispose();
  rmSync(cacheHome, { recursive: true, force: true });
});
afterEach(closeServers);

test('archiveLookups reads the mirrors the run config names and reports each suite through the reporter', async () => {
  const a = await archive({ key });
  const config = resolveRunConfig(
    {},
    {
      ACCELBASE_DEBIAN_MIRROR: a.url,
      ACCELBASE_DEBIAN_SECURITY_MIRROR: a.url,
      ACCELBASE_DEBIAN_KEYRING: key.keyring,
      XDG_CACHE_HOME: cacheHome,
    },
  );
  const reporter = recordingReporter();
  const newest = await archiveLookups({ components: ['main'], config, reporter })('bookworm', 'amd64');
  expect(newest('clinfo')?.suite).toBe('bookworm');
  const missing = (suite: string) =>
    `${suite}: ${a.url}/dists/${suite}/InRelease: HTTP 404, and no Release either: does this mirror serve suite '${suite}'? (left out)`;
  expect(reporter.lines).toEqual([
    'step: reading bookworm main amd64 Packages indexes',
    'step: reading bookworm-updates main amd64 Packages indexes',
    missing('bookworm-updates'),
    'step: reading bookworm-security main amd64 Packages indexes',
    missing('bookworm-security'),
  ]);
  // The indexes are kept under the config's cache home (XDG_CACHE_HOME).
  expect(readdirSync(join(cacheHome, 'accelbase', 'indexes')).length).toBeGreaterThan(0);
});
