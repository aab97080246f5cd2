import { describe, expect, it } from 'vitest';
import { parsePlatforms, parseVersion, versionAtLeast } from './versions.js';

describe('versions', () => {
  it('reads versions out of tool output', () => {
    expect(parseVersion('0.29.1+ds1 1b6a5e0')).toBe('0.29.1');
    expect(parseVersion('v0.13.1 abc')).toBe('0.13.1');
    expect(parseVersion('Docker version 26.1.5+dfsg1, build 411e817')).toBe('26.1.5');
    expect(parseVersion('no version here')).toBeUndefined();
  });

  it('compares against the buildx minimum', () => {
    expect(versionAtLeast('0.29.1', '0.14.0')).toBe(true);
    expect(versionAtLeast('0.14.0', '0.14.0')).toBe(true);
    expect(versionAtLeast('0.13.1', '0.14.0')).toBe(false);
    expect(versionAtLeast('0.9', '0.14.0')).toBe(false);
    expect(versionAtLeast(undefined, '0.14.0')).toBe(false);
  });
});

describe('parsePlatforms', () => {
  it('reads the Platforms line of buildx inspect, dropping * marks', () => {
    const out = [
      'Name:          default',
      'Driver:        docker',
      '',
      'Nodes:',
      'Name:             default',
      'Status:           running',
      'BuildKit version: v0.13.2',
      'Platforms:        linux/amd64, linux/amd64/v2, linux/arm64*, linux/386',
    ].join('\n');
    expect(parsePlatforms(out)).toEqual(['linux/amd64', 'linux/amd64/v2', 'linux/arm64', 'linux/386']);
    expect(parsePlatforms('')).toEqual([]);
  });
});
