// The unit tier's network guard (test/no-network.ts, a setup file of vitest.config.ts) fires: each way
// out is refused before a packet leaves, and a refused request fails the test even when swallowed.
import dns from 'node:dns';
import { readFileSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { createServer } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { expectNoNetworkRequest, isInvalidName, isLoopback, takeRefused } from './no-network.js';

// A documentation address and a name reserved for examples (RFC 5737, RFC 2606): the guard refuses
// them before any packet leaves.
const FAR_ADDRESS = '203.0.113.7';
const FAR_NAME = 'example.net';

describe('the unit tier makes no network request', () => {
  test.each([
    ['net.connect to an address', () => Promise.resolve().then(() => net.connect({ host: FAR_ADDRESS, port: 80 }))],
    ['net.connect(port, host)', () => Promise.resolve().then(() => net.connect(443, FAR_NAME))],
    ['fetch', () => fetch(`http://${FAR_NAME}/`)],
    ['fetch over https', () => fetch(`https://${FAR_ADDRESS}/`)],
    ['dns/promises lookup', () => lookup(FAR_NAME)],
    [
      'dns.lookup with a callback',
      () => new Promise((resolve, reject) => dns.lookup(FAR_NAME, (e, a) => (e ? reject(e) : resolve(a)))),
    ],
  ])('%s is refused, naming the guard', async (_name, attempt) => {
    const error = await attempt().then(
      () => undefined,
      (e: Error) => e,
    );
    const message = `${error?.message} ${(error?.cause as Error | undefined)?.message ?? ''}`;
    expect(message).toMatch(/the unit tier makes no network request: .* refused \(test\/no-network\.ts\)/);
    expect(takeRefused()).toHaveLength(1);
  });

  test('is a setup file of the unit tier, not of the engine tier', () => {
    const config = (file: string) => readFileSync(join(import.meta.dirname, '..', '..', '..', '..', file), 'utf8');
    expect(config('vitest.config.ts')).toContain("setupFiles: ['tools/accelbase/src/test/no-network.ts']");
    expect(config('vitest.itg.config.ts')).not.toContain('no-network');
  });

  test('a request the code under test swallows still fails the test', async () => {
    await fetch(`http://${FAR_NAME}/`).catch(() => undefined);
    expect(() => expectNoNetworkRequest()).toThrow(/network requests the unit tier refused/);
    expect(takeRefused()).toEqual([]); // the check above took them
  });

  test('a server on 127.0.0.1 still answers', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      for (const host of ['127.0.0.1', 'localhost'])
        expect(await (await fetch(`http://${host}:${port}/`)).text()).toBe('ok');
    } finally {
      server.close();
    }
    expect(takeRefused()).toEqual([]);
  });

  // RFC 6761: a name under .invalid never resolves; the guard answers so at once, as a compliant
  // resolver library would, so tests can name a host that cannot exist without a DNS query.
  test.each([
    ['fetch', () => fetch('http://mirror.invalid/debian/dists/trixie/InRelease')],
    ['fetch over https', () => fetch('https://pypi.invalid/simple/')],
    ['net.connect', () => new Promise((_, reject) => net.connect(80, 'coral.invalid').on('error', reject))],
    ['dns/promises lookup', () => lookup('mirror.invalid')],
    [
      'dns.lookup with a callback',
      () => new Promise((resolve, reject) => dns.lookup('a.b.invalid', (e, a) => (e ? reject(e) : resolve(a)))),
    ],
  ])('%s of a name under .invalid is ENOTFOUND, with nothing refused', async (_name, attempt) => {
    const error = (await attempt().then(
      () => undefined,
      (e: Error) => e,
    )) as (Error & { code?: string; cause?: { code?: string } }) | undefined;
    expect(error?.code ?? error?.cause?.code).toBe('ENOTFOUND');
    expect(takeRefused()).toEqual([]);
  });

  test.each([
    ['mirror.invalid', true],
    ['invalid', true],
    ['a.b.INVALID.', true],
    ['invalid.example.net', false],
    ['notinvalid', false],
  ])('isInvalidName(%s) is %s', (host, invalid) => {
    expect(isInvalidName(host)).toBe(invalid);
  });

  test.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', true],
    [FAR_ADDRESS, false],
    [FAR_NAME, false],
    ['10.0.0.1', false],
    ['127.0.0.1.example.net', false],
    ['::ffff:203.0.113.7', false],
  ])('isLoopback(%s) is %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
  });
});
