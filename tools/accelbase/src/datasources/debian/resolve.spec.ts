import { afterEach, describe, expect, test } from 'vitest';
import { archive, closeServers } from '../../test/archive.js';
import { fetchPackagesIndex, type PackagesIndex } from './packages-index.js';
import { debUpstreamSemver, resolveDebianPackage } from './resolve.js';
import { isValidDebVersion } from '../../versioning/debian.js';

afterEach(closeServers);

describe('resolveDebianPackage', () => {
  let main: PackagesIndex;
  const load = async () =>
    (main ??= await fetchPackagesIndex({
      mirror: (await archive()).url,
      suite: 'bookworm',
      component: 'main',
      arch: 'amd64',
    }));

  test.each([
    // name, range, expected version (newest by dpkg order among those the range admits)
    ['clinfo', undefined, '3.0.25.02.14-1~bpo12+1'],
    ['clinfo', '<3.0.25', '3.0.23.01.25-1'],
    ['clinfo', '3.0.21', '3.0.21.02.21-1'],
    ['clinfo', '~3.0.23', '3.0.25.02.14-1~bpo12+1'],
    ['pocl-opencl-icd', undefined, '6.0-6~bpo12+1'],
    ['pocl-opencl-icd', '^3', '3.1-3+deb12u1'],
    ['pocl-opencl-icd', '3.1.0', '3.1-3+deb12u1'],
    ['pocl-opencl-icd', '>=7', undefined],
    ['python3-onnxruntime', undefined, '1.22.0~rc1+dfsg-1'],
    // The binNMU (+b1) of 1.21.0+dfsg-1 is newer than it.
    ['python3-onnxruntime', '~1.21', '1.21.0+dfsg-1+b1'],
    ['python3-onnxruntime', '<1.20', '1.19.2+dfsg-1'],
    // `1.22.0~rc1` coerces to 1.22.0 (documented): a pre-release passes a range on its final version.
    ['python3-onnxruntime', '>=1.22.0', '1.22.0~rc1+dfsg-1'],
    ['no-such-package', undefined, undefined],
  ])('%s %s -> %s', async (name, range, expected) => {
    const got = resolveDebianPackage(await load(), name, range);
    expect(got?.version).toBe(expected);
    if (got) expect(isValidDebVersion(got.version)).toBe(true);
  });

  test('Architecture: all packages resolve from the per-arch index', async () => {
    expect(resolveDebianPackage(await load(), 'libpocl2-common')).toEqual({
      version: '3.1-3+deb12u1',
      architecture: 'all',
    });
  });

  test('an invalid range is an error, not "no match"', async () => {
    expect(() => resolveDebianPackage([], 'clinfo', 'not a range')).toThrow(/invalid semver range 'not a range'/);
  });

  test('epochs win over upstream versions, and ranges ignore them', () => {
    const index: PackagesIndex = {
      url: 'u',
      suite: 's',
      component: 'main',
      arch: 'amd64',
      sha256: '',
      packages: [
        { Package: 'libclang-cpp', Version: '1:15.0.6-4+b1', Architecture: 'amd64' },
        { Package: 'libclang-cpp', Version: '16.0.6-15', Architecture: 'amd64' },
      ],
    };
    expect(resolveDebianPackage(index, 'libclang-cpp')?.version).toBe('1:15.0.6-4+b1');
    expect(resolveDebianPackage(index, 'libclang-cpp', '>=16')?.version).toBe('16.0.6-15');
  });
});

describe('debUpstreamSemver', () => {
  test.each([
    ['1.21.0+dfsg-1', '1.21.0'],
    ['2:1.2.3-4', '1.2.3'],
    ['3.0.23.01.25-1', '3.0.23'],
    ['6.0-6', '6.0.0'],
    ['1.0~rc1-1', '1.0.0'],
    // Leading zeros would make semver.coerce give up; dpkg ignores them too.
    ['535.247.01-1~deb12u1', '535.247.1'],
    ['2.3.01', '2.3.1'],
    ['20230210-5', '20230210.0.0'],
    ['0.0~git20240830.fa1c679-1', '0.0.0'],
    ['1.0-', null],
  ])('%s -> %s', (version, expected) => {
    expect(debUpstreamSemver(version)?.version ?? null).toBe(expected);
  });
});
