import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { packageCacheConfigText, proxyEnv, resolveAptProxy } from './package-cache.js';

describe('package cache', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
    server = undefined;
    vi.restoreAllMocks();
  });

  /** A real listener on a free loopback port: what a running proxy looks like to the check. */
  async function listening(): Promise<string> {
    server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const addr = server.address();
    if (!addr || typeof addr === 'string') throw new Error('no port');
    return `http://127.0.0.1:${addr.port}`;
  }

  /** A loopback port nothing listens on: bound, then closed. */
  async function closedPort(): Promise<string> {
    const url = await listening();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    return url;
  }

  it('listens on loopback only, caching under the engine home, with no remapping of mirrors', () => {
    const text = packageCacheConfigText({
      cacheDir: '/e/acng/cache',
      logDir: '/e/logs/acng',
      supportDir: '/p/usr/lib/apt-cacher-ng',
    });
    expect(text).toContain('BindAddress: 127.0.0.1\n');
    expect(text).toContain('Port: 3142\n');
    expect(text).toContain('CacheDir: /e/acng/cache\n');
    // Remap lines would send requests for a known Debian mirror to a backend of apt-cacher-ng's choosing.
    expect(text).not.toMatch(/Remap/);
  });

  it('uses a proxy that answers, as its origin', async () => {
    const url = await listening();
    await expect(resolveAptProxy(`${url}/`)).resolves.toBe(url);
  });

  it('falls back to the mirror with a warning when the proxy does not answer', async () => {
    const url = await closedPort();
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await expect(resolveAptProxy(url)).resolves.toBeUndefined();
    expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toContain(
      `warning: package proxy ${url} does not answer; fetching packages from the mirror directly`,
    );
  });

  it('is off when asked', async () => {
    await expect(resolveAptProxy('off')).resolves.toBeUndefined();
  });

  it.each([
    ['not a url'],
    ['https://127.0.0.1:3142'],
    ['http://127.0.0.1'],
    ['http://127.0.0.1:3142/path'],
    ['http://user@127.0.0.1:3142'],
  ])('refuses ACCELBASE_APT_PROXY=%s', async (value) => {
    await expect(resolveAptProxy(value)).rejects.toThrow(
      /ACCELBASE_APT_PROXY: .* (is not a URL|is not http:\/\/host:port)/,
    );
  });

  it('gives builds http_proxy, and lets local servers bypass it', () => {
    expect(proxyEnv('http://127.0.0.1:3142')).toEqual({
      http_proxy: 'http://127.0.0.1:3142',
      no_proxy: '127.0.0.1,localhost',
    });
    expect(proxyEnv(undefined)).toEqual({});
  });
});
