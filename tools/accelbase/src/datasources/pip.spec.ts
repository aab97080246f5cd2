import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { UserError } from '../errors.js';
import { pipJsonUrl, resolvePipPackage } from './pip.js';

// A package index double on 127.0.0.1 answering the warehouse JSON API.
const releases = {
  '1.25.0': [{ yanked: false }],
  '1.26.4': [{ yanked: false }],
  '1.27.0': [{ yanked: true }],
  '2.0.0rc1': [{ yanked: false }],
  '2.1.0': [],
};
let server: Server;
let index = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/pypi/numpy/json') return res.end(JSON.stringify({ releases }));
    if (req.url === '/pypi/garbled/json') return res.end('<html>');
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  index = `http://127.0.0.1:${(server.address() as AddressInfo).port}/simple/`;
});
afterAll(() => new Promise((r) => server.close(r)));

test('the JSON API URL of a simple index', () => {
  expect(pipJsonUrl('https://pypi.org/simple/', 'onnxruntime-gpu')).toBe('https://pypi.org/pypi/onnxruntime-gpu/json');
});

test.each([
  [undefined, '1.26.4'],
  ['<1.26', '1.25.0'],
  ['>=2', undefined],
])('numpy %s -> %s: yanked, file-less and pre-releases never chosen', async (range, expected) => {
  expect(await resolvePipPackage(index, 'numpy', range)).toBe(expected);
});

test('an HTTP error and an answer that is not JSON are UserErrors naming the URL', async () => {
  await expect(resolvePipPackage(index, 'nope', undefined)).rejects.toThrow(
    `${index.replace('/simple/', '')}/pypi/nope/json: HTTP 404`,
  );
  const err = await resolvePipPackage(index, 'garbled', undefined).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UserError);
  expect((err as Error).message).toMatch(/\/pypi\/garbled\/json: not a JSON answer/);
});
