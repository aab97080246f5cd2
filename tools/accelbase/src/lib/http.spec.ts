// fetchSource against real servers on 127.0.0.1 (a raw Dockerfile source): the body, the size limit
// while streaming, an HTTP status, and a port nobody listens on.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fetchSource } from './http.js';

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/Dockerfile') return res.end('FROM acceleratorbase/minideb\n');
    if (req.url === '/huge') {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 0x41);
      // Streams without end; the client must stop reading at the limit.
      const write = (): void => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', write);
      };
      write();
      return;
    }
    res.writeHead(404, 'Not Found').end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

test('a small Dockerfile comes back as bytes', async () => {
  expect((await fetchSource(`${base}/Dockerfile`, { maxBytes: 1024 })).toString()).toBe(
    'FROM acceleratorbase/minideb\n',
  );
});

test.each([
  ['over the size limit', '/huge', 'larger than 1048576 bytes; accelbase reads smaller sources only'],
  ['an HTTP status', '/missing', 'HTTP 404 Not Found'],
])('%s is a clear error', async (_n, path, message) => {
  await expect(fetchSource(`${base}${path}`, { maxBytes: 1024 * 1024 })).rejects.toThrow(message);
});

test('no answer is "unreachable source <url>"', async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/Dockerfile`;
  await new Promise((r) => closed.close(r));
  await expect(fetchSource(url, { maxBytes: 1024 })).rejects.toThrow(
    new RegExp(`^unreachable source ${url.replace(/[.]/g, '\\.')}: .*ECONNREFUSED`),
  );
});
