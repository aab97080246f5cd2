import { describe, expect, test } from 'vitest';
import { debUpstreamSemver } from '../versioning/debian.js';
import { compareVersions, describePackage, formatVersions, versionSatisfies } from './versions.js';

describe('versions', () => {
  test.each([
    ['1:2.2.4+ds-1', '2.2.4'],
    ['12.4.127~12.4.1-2', '12.4.127'],
    ['25.0.7-2+deb13u1', '25.0.7'],
    ['6.0-6', '6.0.0'],
  ])('debUpstreamSemver(%s) = %s', (v, want) => {
    expect(debUpstreamSemver(v)?.version).toBe(want);
  });

  test.each([
    ['25.0.7', '6.0', 1],
    ['12.4.131', '12.4.127', 1],
    ['6.0', '6.0.1', -1],
    ['1.21.0', '1.21.0', 0],
  ])('compareVersions(%s, %s)', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });

  test.each<[string, string, boolean]>([
    ['6.0-6', '^6', true],
    ['1:2.2.4+ds-1', '^2', true],
    ['12.4.127~12.4.1-2', '12.4.127', true],
    ['6.0-6', '>=7', false],
    // Zero-padded parts read as dpkg reads them, the same way `update` matches catalog ranges.
    ['535.247.01-1~deb12u1', '~535.247', true],
  ])('versionSatisfies(%s, %s) = %s', (version, range, want) => {
    expect(versionSatisfies(version, range)).toBe(want);
  });

  test('versions per platform, and the package they belong to', () => {
    expect(formatVersions({})).toBe('(not locked yet)');
    expect(formatVersions({ 'linux/amd64': '6.0-6', 'linux/arm64': '6.0-6' })).toBe('6.0-6');
    expect(formatVersions({ 'linux/amd64': '6.0-6', 'linux/arm64': '6.0-7' })).toBe('amd64=6.0-6 arm64=6.0-7');
    expect(
      describePackage({ name: 'libcudart12', versions: { 'linux/amd64': '12.4.127~12.4.1-2' }, from: 'cuda-runtime' }),
    ).toBe('libcudart12 12.4.127~12.4.1-2 (from cuda-runtime)');
  });
});
