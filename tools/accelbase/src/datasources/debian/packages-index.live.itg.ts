// Engine tier (it needs the network, which the unit tier never uses): talks to the real Debian mirror
// (the host's apt sources, or ACCELBASE_DEBIAN_MIRROR) and catches archive-format drift that fixtures
// cannot. Set ACCELBASE_OFFLINE=1 to skip it on a machine without the network.
import { envConfig } from '../../test/run-config.js';
import { describe, expect, test } from 'vitest';
import { debianMirror } from './mirror.js';
import { fetchPackagesIndex } from './packages-index.js';
import { resolveDebianPackage } from './resolve.js';
import { isValidDebVersion } from '../../versioning/debian.js';

const { offline } = envConfig();

describe('Debian mirror (live)', () => {
  test.skipIf(offline)(
    'resolves clinfo in bookworm main amd64',
    async () => {
      const index = await fetchPackagesIndex({
        mirror: debianMirror(envConfig().debianMirror),
        suite: 'bookworm',
        component: 'main',
        arch: 'amd64',
        // Only what resolving needs: the whole index is ~50 MB of text.
        fields: [],
      });
      expect(index.packages.length).toBeGreaterThan(10_000);
      const clinfo = resolveDebianPackage(index, 'clinfo');
      expect(clinfo?.architecture).toBe('amd64');
      expect(isValidDebVersion(clinfo?.version ?? '')).toBe(true);
    },
    // ~12 MB download; generous for a slow link, still bounded.
    5 * 60_000,
  );
});
