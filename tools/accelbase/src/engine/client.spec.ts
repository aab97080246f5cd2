import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { pingSocket, requireBuildx } from './client.js';

const dir = mkdtempSync(join(tmpdir(), 'accelbase-ping-'));
const socket = join(dir, 'docker.sock');
const server = createServer((req, res) => res.writeHead(req.url === '/_ping' ? 200 : 404).end('OK'));
beforeAll(() => new Promise<void>((resolve) => server.listen(socket, resolve)));
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

const client = (host: string) => ({ env: { DOCKER_HOST: host }, docker: 'docker' });

test('a daemon answering /_ping on its unix socket is up', async () => {
  expect(await pingSocket(client(`unix://${socket}`))).toBe(true);
});

test('no socket there: not up', async () => {
  expect(await pingSocket(client(`unix://${join(dir, 'absent.sock')}`))).toBe(false);
});

test('a tcp DOCKER_HOST is left to the client', () => {
  expect(pingSocket(client('tcp://127.0.0.1:2375'))).toBeUndefined();
});

test.each([
  ['/bin/true', true],
  ['/bin/false', false],
])('buildx is there when `%s buildx version` succeeds', async (docker, present) => {
  const probe = requireBuildx({ env: {}, docker });
  if (present) await expect(probe).resolves.toBeUndefined();
  else await expect(probe).rejects.toThrow(/docker buildx is not available/);
});
