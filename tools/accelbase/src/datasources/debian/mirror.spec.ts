import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { UserError } from '../../errors.js';
import {
  debianMirror,
  debianSecurityMirror,
  parseDeb822Sources,
  parseOneLineSources,
  pickDebianMirror,
} from './mirror.js';

// Example host names use the reserved .example domain; the real mirror is never written down.
const deb822 = `Types: deb
# a comment
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
`;

test('deb822 stanzas', () => {
  expect(parseDeb822Sources(deb822)).toEqual([
    {
      types: ['deb'],
      uris: ['http://mirror.example/debian'],
      suites: ['bookworm', 'bookworm-updates'],
      components: ['main'],
    },
    {
      types: ['deb'],
      uris: ['http://mirror.example/debian-security'],
      suites: ['bookworm-security'],
      components: ['main'],
    },
  ]);
});

test('one-line sources, options and comments', () => {
  expect(
    parseOneLineSources(
      '# x\ndeb [arch=amd64 signed-by=/k.gpg] https://other.example/apt cloud-sdk main\ndeb http://m.example/debian/ trixie main contrib\n',
    ),
  ).toEqual([
    { types: ['deb'], uris: ['https://other.example/apt'], suites: ['cloud-sdk'], components: ['main'] },
    { types: ['deb'], uris: ['http://m.example/debian/'], suites: ['trixie'], components: ['main', 'contrib'] },
  ]);
});

test('the Debian archive is picked, not security or third-party repositories', () => {
  const sources = [
    ...parseOneLineSources('deb https://other.example/apt cloud-sdk main\n'),
    ...parseDeb822Sources(deb822).reverse(),
  ];
  expect(pickDebianMirror(sources)).toBe('http://mirror.example/debian');
});

test('ACCELBASE_DEBIAN_MIRROR overrides; a host without sources is a clear error', () => {
  const root = mkdtempSync(join(tmpdir(), 'apt-'));
  expect(() => debianMirror(undefined, root)).toThrow(UserError);
  mkdirSync(join(root, 'sources.list.d'));
  writeFileSync(join(root, 'sources.list.d', 'debian.sources'), deb822);
  expect(debianMirror(undefined, root)).toBe('http://mirror.example/debian');
  expect(debianMirror('http://override.example/debian/', root)).toBe('http://override.example/debian');
});

test('the security archive: ACCELBASE_DEBIAN_SECURITY_MIRROR, else the host source with a -security suite, else none', () => {
  const root = mkdtempSync(join(tmpdir(), 'apt-'));
  expect(debianSecurityMirror(undefined, root)).toBeUndefined();
  mkdirSync(join(root, 'sources.list.d'));
  writeFileSync(join(root, 'sources.list.d', 'debian.sources'), deb822);
  expect(debianSecurityMirror(undefined, root)).toBe('http://mirror.example/debian-security');
  expect(debianSecurityMirror('http://sec.example/ds/', root)).toBe('http://sec.example/ds');
  // bullseye-era one-line form: `<suite>/updates`.
  writeFileSync(join(root, 'sources.list.d', 'debian.sources'), '');
  writeFileSync(join(root, 'sources.list'), 'deb http://old.example/debian-security buster/updates main\n');
  expect(debianSecurityMirror(undefined, root)).toBe('http://old.example/debian-security');
});

test('deb822 sources: field names in any case, folded values, disabled stanzas left out', () => {
  const text =
    'types: deb\nURIS: http://a.example/debian\nSuites: bookworm\n  bookworm-updates\nComponents: main\n\nTypes: deb\nURIs: http://b.example/debian\nSuites: trixie\nComponents: main\nEnabled: no\n';
  expect(parseDeb822Sources(text)).toEqual([
    {
      types: ['deb'],
      uris: ['http://a.example/debian'],
      suites: ['bookworm', 'bookworm-updates'],
      components: ['main'],
    },
  ]);
});

test('a malformed .sources file is an error naming the file and line, as apt would refuse it', () => {
  const root = mkdtempSync(join(tmpdir(), 'apt-'));
  mkdirSync(join(root, 'sources.list.d'));
  writeFileSync(join(root, 'sources.list.d', 'broken.sources'), 'Types: deb\nnot a field\n');
  expect(() => debianMirror(undefined, root)).toThrow(
    `${join(root, 'sources.list.d', 'broken.sources')}:2: expected "Field: value"`,
  );
});
