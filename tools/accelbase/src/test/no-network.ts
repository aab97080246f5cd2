// Unit-tier setup file (vitest.config.ts only): the unit tier makes no network request. Every
// outbound connection and DNS lookup in the test process is checked; one to anything but loopback
// (or a Unix socket) is refused before a packet leaves, and fails the test that made it, even when
// the code under test catches the error (as a datasource reporting "unreachable" would). A test that
// needs the network belongs to the engine tier (*.itg.ts). Child processes are not covered.
import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { afterEach, expect } from 'vitest';

/** This machine only: 127.0.0.0/8, ::1 (also IPv4-mapped), the name localhost, and the unspecified addresses. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return ['localhost', '::1', '::', '0.0.0.0'].includes(h) || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(h);
}

/**
 * RFC 6761 §6.4: a name under `.invalid` never resolves, and resolver libraries should answer so at
 * once. The guard does that itself, so tests can name a host that cannot exist (and see ENOTFOUND,
 * as a real run would) without a DNS query leaving the machine.
 */
export const isInvalidName = (host: string): boolean => /(^|\.)invalid\.?$/i.test(host);

const notFound = (host: string): Error =>
  Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), {
    code: 'ENOTFOUND',
    syscall: 'getaddrinfo',
    hostname: host,
  });

const refused: string[] = [];

/** The refused attempts since the last call, cleared: the guard's own spec reads them so it stays green. */
export function takeRefused(): string[] {
  return refused.splice(0);
}

function refuse(what: string): Error {
  refused.push(what);
  const e = new Error(
    `the unit tier makes no network request: ${what} refused (test/no-network.ts); a test that needs the network is an engine test (*.itg.ts)`,
  );
  return Object.assign(e, { code: 'EACCES' });
}

/** Where `socket.connect(...)` goes, for each of its call forms (net.connect passes normalized [options, cb]). */
function target(args: unknown[]): { host?: string; port?: unknown; path?: string } {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first !== null && typeof first === 'object') {
    const o = first as { host?: string; port?: unknown; path?: string };
    return { host: o.host, port: o.port, path: o.path };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { path: first };
  return { host: typeof args[1] === 'string' ? args[1] : undefined, port: first };
}

const installed = Symbol.for('accelbase.no-network');
const guarded = globalThis as { [installed]?: boolean };
if (!guarded[installed]) {
  guarded[installed] = true;
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const { host = 'localhost', port, path } = target(args);
    if (path === undefined && isInvalidName(host)) {
      process.nextTick(() => this.destroy(notFound(host)));
      return this;
    }
    if (path === undefined && !isLoopback(host)) throw refuse(`a connection to ${host}:${String(port)}`);
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof connect;

  const lookup = dns.lookup;
  dns.lookup = ((hostname: string, ...rest: unknown[]) => {
    const callback = rest.at(-1);
    if (isInvalidName(hostname) && typeof callback === 'function') {
      process.nextTick(() => callback(notFound(hostname)));
      return;
    }
    if (!isLoopback(hostname)) throw refuse(`a DNS lookup of ${hostname}`);
    return (lookup as (...a: unknown[]) => void).call(dns, hostname, ...rest);
  }) as typeof lookup;
  const lookupPromise = dns.promises.lookup;
  dns.promises.lookup = (async (hostname: string, ...rest: unknown[]) => {
    if (isInvalidName(hostname)) throw notFound(hostname);
    if (!isLoopback(hostname)) throw refuse(`a DNS lookup of ${hostname}`);
    return (lookupPromise as (...a: unknown[]) => Promise<unknown>)(hostname, ...rest);
  }) as typeof lookupPromise;
  syncBuiltinESMExports();
}

/** What runs after every unit test: it fails when the test tried to reach the network. */
export function expectNoNetworkRequest(): void {
  expect(takeRefused(), 'network requests the unit tier refused').toEqual([]);
}

afterEach(expectNoNetworkRequest);
