import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from '../exec.js';
import { cacheName, installPackagesScript } from './paths.js';

const MIRROR = 'http://archive.example.invalid/debian';

describe('bootstrap cache', () => {
  it('keys the cache by suite, arch, mirror and dates', () => {
    const a = cacheName({ suite: 'bookworm', arch: 'amd64', mirror: MIRROR, release: 5, epoch: 5 });
    expect(a).toMatch(/^bookworm-amd64-[0-9a-f]{12}-5-5\.tar$/);
    expect(cacheName({ suite: 'bookworm', arch: 'amd64', mirror: `${MIRROR}/`, release: 5, epoch: 5 })).toBe(a);
    expect(cacheName({ suite: 'bookworm', arch: 'amd64', mirror: `${MIRROR}2`, release: 5, epoch: 5 })).not.toBe(a);
    expect(a).not.toContain('example');
  });
});

describe('install_packages', () => {
  const script = installPackagesScript();

  it('is valid sh and executable', async () => {
    expect(existsSync(script)).toBe(true);
    expect(statSync(script).mode & 0o111).not.toBe(0);
    expect((await run('sh', ['-n', script], { allowFailure: true })).exitCode).toBe(0);
  });

  it('installs without recommends, retries, and cleans up', () => {
    const text = readFileSync(script, 'utf8');
    expect(text.startsWith('#!/bin/sh\n')).toBe(true);
    expect(text).toContain('apt-get install -y --no-install-recommends ${keep:+-o "Dir::Cache::Archives=$keep"} "$@"');
    // Under the Dockerfiles' cache mount the .debs stay in it, where docker-clean's hook does not reach.
    expect(text).toContain('if grep -qs " $archives " /proc/self/mountinfo; then');
    expect(text).toMatch(/tries=3/);
    expect(text).toContain('rm -rf /var/lib/apt/lists/*');
  });

  it('refuses to run without packages', async () => {
    const r = await run('sh', [script], { allowFailure: true });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('usage');
  });
});
