import { describe, expect, test } from 'vitest';
import { couldMatch, expandWord, knownValue, WILD, type Env, type Value } from './arg-expand.js';

// The global ARG defaults a build without --build-arg sees; WILD: an ARG without a default.
const env: Env = new Map<string, Value>([
  ['PY', '3.12'],
  ['EMPTY', ''],
  ['OPEN', WILD],
]);

describe('expandWord', () => {
  test.each<[string, string | undefined, string[]]>([
    ['python:${PY}-slim', 'python:3.12-slim', ['PY']],
    ['python:$PY', 'python:3.12', ['PY']],
    ['a$', 'a$', []],
    ['${UNSET}x', 'x', ['UNSET']],
    ['${EMPTY:-d}', 'd', ['EMPTY']],
    ['${EMPTY-d}', '', ['EMPTY']],
    ['${UNSET-d}', 'd', ['UNSET']],
    ['${PY:+set}', 'set', ['PY']],
    ['${EMPTY+set}', 'set', ['EMPTY']],
    ['${EMPTY:+set}', '', ['EMPTY']],
    ['${UNSET:-${PY}}', '3.12', ['UNSET', 'PY']],
    ['${PY:?required}', '3.12', ['PY']],
    ['\\$PY', '$PY', []],
    // Anything a build could still change is unknowable.
    ['$OPEN', undefined, ['OPEN']],
    ['build-$TARGETARCH', undefined, ['TARGETARCH']],
    ['${PY#3.}', undefined, ['PY']],
    ['${PY', undefined, []],
    ['${}', undefined, []],
  ])('%s', (word, value, refs) => {
    const e = expandWord(word, env, '\\');
    expect(knownValue(e.parts)).toBe(value);
    expect(e.refs).toEqual(refs);
  });

  test('the escape directive decides what escapes', () => {
    expect(knownValue(expandWord('`$PY\\', env, '`').parts)).toBe('$PY\\');
  });
});

describe('couldMatch', () => {
  test.each<[string, string, boolean]>([
    ['build-$TARGETARCH', 'build-amd64', true],
    ['build-$TARGETARCH', 'runtime', false],
    ['base.${OPEN}', 'base.x', true],
    ['base.${PY}', 'base-3.12', false],
  ])('%s ~ %s', (word, candidate, expected) => {
    expect(couldMatch(expandWord(word, env, '\\').parts, candidate)).toBe(expected);
  });
});
