// `update` with sources that give no answer: one line per host, a non-zero exit, never "lock unchanged".
// No request leaves the machine: a port on 127.0.0.1 just closed, and names under .invalid (RFC 6761).
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { resolveRunConfig } from '../config/run-config.js';
import { fixtureWorkspace } from '../test/fixture-workspace.js';
import { parse } from './args.js';
import { update } from './update.js';

/** A port on 127.0.0.1 that nothing listens on: bound by the system, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

let ws: string;
let port: number;
beforeEach(async () => {
  port = await closedPort();
  // The fixture's vendor sources moved where nobody answers: Coral's apt repository to the closed
  // port, PyPI to an unresolvable name.
  ws = fixtureWorkspace('accelbase-update-', (t) =>
    t
      .replaceAll('https://packages.cloud.google.com/apt', `http://127.0.0.1:${port}/apt`)
      .replace('https://pypi.org/simple', 'https://pypi.invalid/simple'),
  );
});
afterEach(() => rmSync(ws, { recursive: true, force: true }));

async function runUpdate(...extra: string[]) {
  let stdout = '';
  const { command, flags, args } = parse(['update', '--catalog', join(ws, 'catalog.yaml'), ...extra]);
  const config = resolveRunConfig(flags, {
    ACCELBASE_DEBIAN_MIRROR: 'http://mirror.invalid/debian',
    ACCELBASE_DEBIAN_SECURITY_MIRROR: 'http://mirror.invalid/debian-security',
    ACCELBASE_LOG: 'quiet',
    XDG_CACHE_HOME: join(ws, '.cache'),
  });
  const code = await update({ command, flags, args, config, out: (t) => void (stdout += t) });
  return { code, stdout };
}

test('with no network: one line per unreachable host, exit 1, and the lock as it was', async () => {
  const lockBefore = readFileSync(join(ws, 'catalog.lock.yaml'), 'utf8');
  const r = await runUpdate();
  expect(r.code).toBe(1);
  const unreachable = r.stdout.split('\n').filter((l) => l.startsWith('unreachable: '));
  expect(unreachable.map((l) => l.split(' ')[1]).sort()).toEqual(
    [`127.0.0.1:${port}`, 'mirror.invalid', 'pypi.invalid'].sort(),
  );
  expect(unreachable.find((l) => l.includes('mirror.invalid'))).toMatch(
    /^unreachable: mirror\.invalid \([^)]*ENOTFOUND[^)]*\): debian, debian-nonfree, distro-info-data; images /,
  );
  expect(unreachable.find((l) => l.includes('127.0.0.1'))).toMatch(/ECONNREFUSED.*: coral; images /);
  // Nothing else about the same failures, and no claim that the lock was looked at and found current.
  expect(r.stdout).not.toMatch(/^unresolved: /m);
  expect(r.stdout).not.toContain('lock unchanged');
  expect(r.stdout).toMatch(/^lock not up to date: could not read sources .*debian.*; their packages keep/m);
  expect(readFileSync(join(ws, 'catalog.lock.yaml'), 'utf8')).toBe(lockBefore);
});

test('--json says the same: complete false, each host once, exit 1', async () => {
  const r = await runUpdate('--json');
  expect(r.code).toBe(1);
  const out = JSON.parse(r.stdout);
  expect(out.complete).toBe(false);
  expect(out.lockChanged).toBe(false);
  expect(out.unreachable.map((h: { host: string }) => h.host).sort()).toEqual(
    [`127.0.0.1:${port}`, 'mirror.invalid', 'pypi.invalid'].sort(),
  );
  expect(out.unresolved.every((u: { cause: string }) => u.cause === 'unreachable')).toBe(true);
});
