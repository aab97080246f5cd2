import { expect, test } from 'vitest';
import { installedPackages } from './dpkg-status.js';

// An excerpt of a real bookworm minbase status file: one package half-removed, one config-files only.
const status = `Package: zlib1g
Status: install ok installed
Priority: required
Architecture: amd64
Multi-Arch: same
Version: 1:1.2.13.dfsg-1
Description: compression library - runtime
 zlib is a library implementing the deflate compression method found
 in gzip and PKZIP.

Package: libc6
Status: install ok installed
Architecture: amd64
Version: 2.36-9+deb12u10

Package: tzdata
Status: deinstall ok config-files
Architecture: all
Version: 2024a-0+deb12u1

Package: perl-base
Status: install ok half-configured
Architecture: amd64
Version: 5.36.0-7+deb12u1
`;

test('installed packages: only those dpkg calls installed, sorted by name', () => {
  expect(installedPackages(status)).toEqual({ libc6: '2.36-9+deb12u10', zlib1g: '1:1.2.13.dfsg-1' });
  expect(Object.keys(installedPackages(status))).toEqual(['libc6', 'zlib1g']);
});

test('an empty database installs nothing', () => {
  expect(installedPackages('')).toEqual({});
});
