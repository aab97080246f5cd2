import { describe, expect, test } from 'vitest';
import { contextKey, isDigest, parseReference, splitTag, type Reference } from './reference.js';

const DIGEST = `sha256:${'c'.repeat(64)}`;

describe('parseReference and splitTag', () => {
  test.each<[string, Reference | null, ReturnType<typeof splitTag>]>([
    ['ubuntu', { path: 'ubuntu' }, { repository: 'ubuntu' }],
    ['ubuntu:22.04', { path: 'ubuntu', tag: '22.04' }, { repository: 'ubuntu', tag: '22.04' }],
    [
      'docker.io/library/ubuntu:22.04',
      { domain: 'docker.io', path: 'library/ubuntu', tag: '22.04' },
      { repository: 'docker.io/library/ubuntu', tag: '22.04' },
    ],
    ['localhost/acc/base', { domain: 'localhost', path: 'acc/base' }, { repository: 'localhost/acc/base' }],
    [
      '127.0.0.1:5000/acceleratorbase/opencl-pocl:2024.06',
      { domain: '127.0.0.1:5000', path: 'acceleratorbase/opencl-pocl', tag: '2024.06' },
      { repository: '127.0.0.1:5000/acceleratorbase/opencl-pocl', tag: '2024.06' },
    ],
    ['[::1]:5000/a/b', { domain: '[::1]:5000', path: 'a/b' }, { repository: '[::1]:5000/a/b' }],
    // A capital in the first component makes it a registry host, as in docker's own split.
    [
      'Registry.Example.COM/team/app:v1',
      { domain: 'Registry.Example.COM', path: 'team/app', tag: 'v1' },
      { repository: 'Registry.Example.COM/team/app', tag: 'v1' },
    ],
    ['UPPER/app', { domain: 'UPPER', path: 'app' }, { repository: 'UPPER/app' }],
    // Invalid: splitTag still splits (it never validates), parseReference says null.
    ['Ubuntu', null, { repository: 'Ubuntu' }],
    ['gcr.io/Distroless/static', null, { repository: 'gcr.io/Distroless/static' }],
    ['ubuntu:', null, { repository: 'ubuntu', tag: '' }],
    ['ubuntu:bad tag', null, { repository: 'ubuntu', tag: 'bad tag' }],
    ['-ubuntu', null, { repository: '-ubuntu' }],
    ['a//b', null, { repository: 'a//b' }],
    ['host:port/a', null, { repository: 'host:port/a' }],
  ])('%s', (ref, parsed, split) => {
    expect(parseReference(ref)).toEqual(parsed);
    expect(splitTag(ref)).toEqual(split);
  });

  test.each<[string, Reference | null]>([
    [`ghcr.io/org/img@${DIGEST}`, { domain: 'ghcr.io', path: 'org/img', digest: DIGEST }],
    [`ghcr.io/org/img:1.2@${DIGEST}`, { domain: 'ghcr.io', path: 'org/img', tag: '1.2', digest: DIGEST }],
    ['alpine@sha256:abc', null],
  ])('with a digest: %s', (ref, parsed) => {
    expect(parseReference(ref)).toEqual(parsed);
  });

  test.each<[string, ReturnType<typeof splitTag>]>([
    [`ghcr.io/org/img@${DIGEST}`, { repository: 'ghcr.io/org/img', digest: DIGEST }],
    [`127.0.0.1:5000/ns/img:1.2@${DIGEST}`, { repository: '127.0.0.1:5000/ns/img', tag: '1.2', digest: DIGEST }],
  ])('splitTag keeps a digest apart: %s', (ref, split) => {
    expect(splitTag(ref)).toEqual(split);
  });
});

describe('isDigest', () => {
  test.each<[unknown, boolean]>([
    [DIGEST, true],
    [DIGEST.toUpperCase(), false],
    ['sha256:abc', false],
    [`sha512:${'c'.repeat(128)}`, false],
    ['c'.repeat(64), false],
    [`${DIGEST}\n`, false],
    [42, false],
    [undefined, false],
  ])('isDigest(%j) = %s', (value, expected) => {
    expect(isDigest(value)).toBe(expected);
  });
});

describe('contextKey', () => {
  test.each([
    ['ubuntu', 'ubuntu'],
    ['ubuntu:latest', 'ubuntu'],
    ['docker.io/library/ubuntu:22.04', 'ubuntu:22.04'],
    ['docker.io/foo/bar', 'foo/bar'],
    ['index.docker.io/library/alpine', 'alpine'],
    ['library/alpine:3', 'alpine:3'],
    ['gcr.io/distroless/static:latest', 'gcr.io/distroless/static'],
    ['localhost:5000/a/b:1', 'localhost:5000/a/b:1'],
    [`alpine@sha256:${'b'.repeat(64)}`, `alpine@sha256:${'b'.repeat(64)}`],
    ['Ubuntu', null],
    ['ubuntu:', null],
  ])('contextKey(%s) = %s', (ref, key) => {
    expect(contextKey(ref)).toBe(key);
  });
});
