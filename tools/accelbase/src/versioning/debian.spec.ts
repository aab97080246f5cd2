import { describe, expect, test } from 'vitest';
import { UserError } from '../errors.js';
import { compareDebVersions, formatDebVersion, isValidDebVersion, parseDebVersion } from './debian.js';

// Every row was checked by hand against `dpkg --compare-versions A lt|eq B` (dpkg 1.21); the table is
// the record of dpkg's answers, so a disagreement here means our port is wrong, not the table.
const ordering: [string, string, -1 | 0 | 1][] = [
  // Equality: leading zeros, absent revision = revision 0, absent epoch = epoch 0.
  ['1.0', '1.0', 0],
  ['1.0', '1.0-0', 0],
  ['1.0-0', '1.0', 0],
  ['0:1.0', '1.0', 0],
  ['1.002', '1.2', 0],
  ['1.0.0', '1.0.00', 0],
  // Epochs win over everything after them.
  ['1.0', '1:0.1', -1],
  ['2:1.0', '1:9.9', 1],
  ['1:1.0-1', '1.0-1', 1],
  ['1:1.2.3', '2.0', 1],
  ['10:1', '9:1', 1],
  // `~` sorts before anything, even the end of the string.
  ['1.0~rc1', '1.0', -1],
  ['1.0~rc1-1', '1.0-1', -1],
  ['1.0~', '1.0', -1],
  ['1.0~~', '1.0~', -1],
  ['1.0~~a', '1.0~~', 1],
  ['1.0~beta1', '1.0~rc1', -1],
  ['1.21.0+dfsg-1~bpo12+1', '1.21.0+dfsg-1', -1],
  ['1.21.0+dfsg-1~bpo12+1', '1.20.1+dfsg-3', 1],
  ['0.0~git20240830.fa1c679-1', '0.0~git20241108.4ea82e5-1', -1],
  ['0.0~git20240830.fa1c679-1', '0.0-1', -1],
  // Letters sort before non-letters; non-letters by ASCII (`+` < `.`); the end sorts before both.
  ['1.0', '1.0a', -1],
  ['1.0', '1.0+', -1],
  ['1.0+', '1.0.', -1],
  ['1.0a', '1.0+', -1],
  ['1.0a', '1.0~', 1],
  ['1.0a', '1.0B', 1],
  ['1.0-x', '1.0-X', 1],
  ['1.0', '1.0.0', -1],
  // Digit runs compare as numbers, of any length.
  ['1.2', '1.10', -1],
  ['1.02', '1.1', 1],
  ['7.4.2-1', '7.4.10-1', -1],
  ['3.0.23.01.25-1', '3.0.25.02.14-1', -1],
  ['99999999999999999999', '99999999999999999998', 1],
  // Stable updates (+debNNuN) and binNMUs (+bN) sort after the version they rebuild.
  ['3.1-3', '3.1-3+deb12u1', -1],
  ['3.1-3+deb12u1', '3.1-3+deb12u2', -1],
  ['3.1-3+deb12u1', '3.1-4', -1],
  ['6.0-6', '3.1-3+deb12u1', 1],
  ['1.17.0-3', '1.17.0-3+b1', -1],
  ['1.17.0-3+b1', '1.17.0-3+b2', -1],
  ['1.17.0-3+b10', '1.17.0-3+b9', 1],
  ['1.21.0+dfsg-1', '1.21.0-1', 1],
  ['1.21.0+dfsg-1', '1.21.0+dfsg-1.1', -1],
  ['1.0+really0.9-1', '1.0-1', 1],
  // Revisions: a digit against a letter, NMU suffixes, derivative suffixes.
  ['2.3.1-1', '2.3.1-1ubuntu1', -1],
  ['1.0-1', '1.0-a', -1],
  ['1.0-1.1', '1.0-1', 1],
  ['1.0-1', '1.0-1.0', -1],
  // The revision is after the LAST hyphen: upstream `1.0-2` beats upstream `1.0-1`.
  ['1.0-2-1', '1.0-1-2', 1],
  ['1.0-2-1', '1.0-2', 1],
];

describe('compareDebVersions', () => {
  test.each(ordering)('%s vs %s -> %i', (a, b, expected) => {
    expect(compareDebVersions(a, b)).toBe(expected);
  });

  test.each(ordering)('antisymmetric: %s vs %s', (a, b, expected) => {
    expect(compareDebVersions(b, a)).toBe(expected === 0 ? 0 : -expected);
  });

  test('accepts parsed versions too', () => {
    expect(compareDebVersions(parseDebVersion('1:1.0'), '1.0')).toBe(1);
  });

  test('works as a sort comparator', () => {
    const shuffled = ['1.0-1', '1:0.1', '1.0~rc1-1', '1.0+b1', '1.0', '1.0~', '1.0-1+deb12u1', '0.9'];
    expect(shuffled.sort(compareDebVersions)).toEqual([
      '0.9',
      '1.0~',
      '1.0~rc1-1',
      '1.0',
      '1.0-1',
      '1.0-1+deb12u1',
      '1.0+b1',
      '1:0.1',
    ]);
  });

  test('refuses what dpkg refuses, compares what dpkg only warns about', () => {
    expect(() => compareDebVersions('1.0-', '1.0')).toThrow(UserError);
    expect(() => compareDebVersions('1.0', ':1')).toThrow(/epoch in version is empty/);
    // dpkg warns "does not start with digit" and still orders it.
    expect(compareDebVersions('a1.0', 'b1.0')).toBe(-1);
  });
});

describe('parseDebVersion', () => {
  test.each([
    ['1.0', { epoch: 0, upstream: '1.0', revision: '' }],
    ['1:2.3-4', { epoch: 1, upstream: '2.3', revision: '4' }],
    ['3.1-3+deb12u1', { epoch: 0, upstream: '3.1', revision: '3+deb12u1' }],
    ['1.21.0+dfsg-1~bpo12+1', { epoch: 0, upstream: '1.21.0+dfsg', revision: '1~bpo12+1' }],
    ['1:2:3', { epoch: 1, upstream: '2:3', revision: '' }],
    ['1.0-2-1', { epoch: 0, upstream: '1.0-2', revision: '1' }],
    [' 1.0 ', { epoch: 0, upstream: '1.0', revision: '' }],
    ['2147483647:1', { epoch: 2147483647, upstream: '1', revision: '' }],
  ])('%j', (input, expected) => {
    expect(parseDebVersion(input)).toEqual(expected);
  });

  test('round-trips through formatDebVersion', () => {
    for (const v of ['1.0', '1:2.3-4', '3.1-3+deb12u1', '0.0~git20240830.fa1c679-1']) {
      expect(formatDebVersion(parseDebVersion(v))).toBe(v);
    }
  });
});

describe('isValidDebVersion', () => {
  // Expectations from dpkg: "error" rows make dpkg exit 2, "warning" rows make it warn.
  test.each([
    ['1.0', true],
    ['0', true],
    ['1:1.0-1', true],
    ['1.0~rc1', true],
    ['1.0+dfsg', true],
    ['1.0-+', true],
    ['1.0-1~bpo+1', true],
    ['3.1-3+deb12u1', true],
    ['1:2:3', true],
    ['2147483647:1', true],
    ['', false], // error: version string is empty
    ['1.0-', false], // error: revision number is empty
    ['1.0-1-', false], // error: revision number is empty
    [':1.0', false], // error: epoch in version is empty
    ['a:1.0', false], // error: epoch in version is empty
    ['1:', false], // error: nothing after colon in version number
    ['1.0-a:b', false], // error: epoch in version is not number
    ['2147483648:1', false], // error: epoch in version is too big
    ['1.0 1', false], // error: version string has embedded spaces
    ['a1.0', false], // warning: version number does not start with digit
    ['1.0_1', false], // warning: invalid character in version number
    ['1.0-1_2', false], // warning: invalid character in revision number
    ['-1', false], // upstream version is empty
  ])('%j -> %s', (input, ok) => {
    expect(isValidDebVersion(input)).toBe(ok);
    if (!ok) expect(() => parseDebVersion(input)).toThrow(UserError);
  });
});
