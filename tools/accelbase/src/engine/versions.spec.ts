import { describe, expect, it } from 'vitest';
import { parseBuilder, parsePlatforms, parseVersion, versionAtLeast } from './versions.js';

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

describe('parseBuilder', () => {
  it('reads the docker driver builder', () => {
    const text = [
      'Name:          default',
      'Driver:        docker',
      'Last Activity: 2026-12-02 06:29:25 +0000 UTC',
      '',
      'Nodes:',
      'Name:             default',
      'Endpoint:         default',
      'Status:           running',
      'BuildKit version: v0.0.0+unknown',
      'Platforms:        linux/amd64, linux/amd64/v2, linux/amd64/v3, linux/arm64',
      'Labels:',
      ' org.mobyproject.buildkit.worker.network:              host',
    ].join('\n');
    expect(parseBuilder(text)).toEqual({
      name: 'default',
      driver: 'docker',
      nodes: [
        {
          name: 'default',
          endpoint: 'default',
          status: 'running',
          buildkit: 'v0.0.0+unknown',
          platforms: ['linux/amd64', 'linux/amd64/v2', 'linux/amd64/v3', 'linux/arm64'],
        },
      ],
    });
  });

  it('reads a builder with one native node per platform (remote driver, appended node)', () => {
    const text = [
      'Name:          native',
      'Driver:        remote',
      '',
      'Nodes:',
      'Name:             native0',
      'Endpoint:         tcp://amd64-builder:1234',
      'Status:           running',
      'BuildKit version: v0.26.2',
      'Platforms:        linux/amd64*, linux/amd64/v2',
      '',
      'Name:             native1',
      'Endpoint:         tcp://arm64-builder:1234',
      'Status:           inactive',
      'Platforms:        linux/arm64*',
    ].join('\n');
    const b = parseBuilder(text)!;
    expect(b.driver).toBe('remote');
    expect(b.nodes.map((n) => [n.name, n.endpoint, n.status, n.platforms])).toEqual([
      ['native0', 'tcp://amd64-builder:1234', 'running', ['linux/amd64', 'linux/amd64/v2']],
      ['native1', 'tcp://arm64-builder:1234', 'inactive', ['linux/arm64']],
    ]);
    expect(parseBuilder('')).toBeUndefined();
  });
});
