import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { resolveNpmPackage } from './npm.js';

// A registry double on 127.0.0.1 serving npm packuments; the real npm client queries it.
const packument = {
  name: 'onnxruntime-node',
  'dist-tags': { latest: '1.22.0' },
  versions: Object.fromEntries(
    ['1.19.2', '1.20.0', '1.20.1', '1.21.0', '1.22.0', '2.0.0-rc.1'].map((v) => [
      v,
      { name: 'onnxruntime-node', version: v, dist: { tarball: 'http://127.0.0.1/x.tgz' } },
    ]),
  ),
};
let server: Server;
let registry = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/onnxruntime-node') return res.end(JSON.stringify(packument));
    res.statusCode = 404;
    res.end('{"error":"Not found"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise((r) => server.close(r)));

test.each([
  ['^1.20.0', '1.22.0'],
  ['>=1.20 <1.21', '1.20.1'],
  [undefined, '1.22.0'],
  ['>=3', undefined],
])('onnxruntime-node@%s -> %s', async (range, expected) => {
  expect(await resolveNpmPackage('onnxruntime-node', range, registry)).toBe(expected);
});

test('an unknown package resolves to nothing', async () => {
  expect(await resolveNpmPackage('no-such-package-here', undefined, registry)).toBeUndefined();
});
