import { describe, expect, test } from 'vitest';
import { normalizeArch, parseRuntime } from './query.js';

describe('query', () => {
  test.each([
    ['pocl-opencl-icd@^6', { name: 'pocl-opencl-icd', range: '^6' }],
    ['@scope/pkg@^1', { name: '@scope/pkg', range: '^1' }],
    ['clinfo', { name: 'clinfo' }],
  ])('parseRuntime(%s)', (spec, parsed) => {
    expect(parseRuntime(spec)).toEqual(parsed);
  });

  test.each([
    ['arm64', 'arm64'],
    ['linux/amd64', 'amd64'],
    ['x86_64', 'amd64'],
  ])('normalizeArch(%s)', (a, want) => expect(normalizeArch(a)).toBe(want));
});
