import { describe, expect, test } from 'vitest';
import { buildTags, floatingTags, isBuildTagOf, minidebTags, mostSpecificTag, tagVersion } from './tags.js';

describe('tagVersion', () => {
  test.each([
    ['6.0-6', '6.0'],
    ['1.21.0+dfsg-1', '1.21.0'],
    ['1:2.2.4+ds-1', '2.2.4'],
    ['12.4.127~12.4.1-2', '12.4.127'],
    ['550.163.01-2', '550.163.01'],
    ['1.20.1', '1.20.1'],
    ['16.0', '16.0'],
    ['0.0~git20240830.fa1c679-1', '0.0'],
    ['~rc1', null],
  ])('%s -> %s', (version, expected) => {
    expect(tagVersion(version)).toBe(expected);
  });
});

test('floating tags go from general to specific, without duplicates', () => {
  expect(floatingTags('trixie', '1.21.0')).toEqual(['latest', 'trixie', '1-trixie', '1.21-trixie', '1.21.0-trixie']);
  expect(floatingTags('trixie', '6.0')).toEqual(['latest', 'trixie', '6-trixie', '6.0-trixie']);
  expect(floatingTags('bullseye', null)).toEqual(['latest', 'bullseye']);
});

test('minideb tags', () => {
  expect(minidebTags('trixie', '13', true)).toEqual(['latest', 'trixie', '13']);
  expect(minidebTags('bookworm', '12', false)).toEqual(['bookworm', '12']);
});

test.each([
  [
    'an accelerator image',
    { kind: 'accelerator', dist: 'trixie', version: '6.0' },
    ['6.0-trixie-20261128', 'sha-860c190'],
  ],
  // minideb's dists share one repository: a bare sha- tag would name whichever dist was pushed last.
  [
    'a minideb dist',
    { kind: 'minideb', dist: 'bookworm', version: null },
    ['bookworm-20261128', 'sha-860c190-bookworm'],
  ],
])('build tags of %s are dated and carry the revision', (_, image, tags) => {
  expect(buildTags(image, '20261128', '860c1904aa')).toEqual(tags);
  expect(buildTags(image, '20261128')).toEqual(tags.slice(0, 1));
  expect(() => buildTags(image, '2026-11-28')).toThrow(/YYYYMMDD/);
});

test('the most specific floating tag is the last one; an image without tags is latest', () => {
  expect(mostSpecificTag({ tags: floatingTags('trixie', '6.0') })).toBe('6.0-trixie');
  expect(mostSpecificTag({ tags: floatingTags('bullseye', null) })).toBe('bullseye');
  expect(mostSpecificTag({ tags: [] })).toBe('latest');
});

test('a build tag stands in for the floating tag it was cut from, and only that one', () => {
  const [dated] = buildTags({ kind: 'accelerator', dist: 'trixie', version: '6.0' }, '20261128');
  expect(isBuildTagOf(dated, '6.0-trixie')).toBe(true);
  expect(isBuildTagOf('trixie-20261128', 'trixie')).toBe(true);
  expect(isBuildTagOf('6.0-trixie-20261128', '6-trixie')).toBe(false);
  expect(isBuildTagOf('610-trixie-20261128', '6.0-trixie')).toBe(false);
  expect(isBuildTagOf('6.0-trixie-2026112', '6.0-trixie')).toBe(false);
});
