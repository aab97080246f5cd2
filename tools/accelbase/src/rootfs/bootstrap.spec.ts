import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { assertArch, assertSuite, debootstrapArgs, mountsUnder } from './bootstrap.js';

const MIRROR = 'http://archive.example.invalid/debian';

describe('inputs', () => {
  it('accepts only the minideb suites and arches', () => {
    expect(assertSuite('bookworm')).toBe('bookworm');
    expect(assertArch('arm64')).toBe('arm64');
    expect(() => assertSuite('sid')).toThrow(UserError);
    expect(() => assertArch('armhf')).toThrow(UserError);
  });

  it('runs debootstrap minbase against the given mirror, verifying with the given keyring', () => {
    expect(
      debootstrapArgs({
        suite: 'trixie',
        arch: 'arm64',
        mirror: `${MIRROR}/`,
        target: '/w/t',
        keyring: '/k/archive.gpg',
      }),
    ).toEqual([
      '--variant=minbase',
      '--arch=arm64',
      '--keyring=/k/archive.gpg',
      '--force-check-gpg',
      'trixie',
      '/w/t',
      MIRROR,
    ]);
  });
});

describe('mountsUnder', () => {
  it('finds mounts inside a folder, deepest first, decoding escapes', () => {
    const info = [
      '22 1 0:21 / / rw - ext4 /dev/vda rw',
      '30 22 0:5 / /w/root/proc rw - proc proc rw',
      '31 22 0:6 / /w/root/proc/sys/fs/binfmt_misc rw - binfmt_misc binfmt_misc rw',
      '32 22 0:7 / /w/root2/sys rw - sysfs sysfs rw',
      '33 22 0:8 / /w/root/my\\040dir rw - tmpfs tmpfs rw',
    ].join('\n');
    expect(mountsUnder('/w/root', info)).toEqual(['/w/root/proc/sys/fs/binfmt_misc', '/w/root/my dir', '/w/root/proc']);
    expect(mountsUnder('/elsewhere', info)).toEqual([]);
  });
});
