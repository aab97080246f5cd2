import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import { fileInLayers, tarEntries, tarEntriesFrom, tarFile } from './tar.js';

/** `bytes` as a stream of `size`-byte chunks, noting when it was read to its end. */
function chunked(bytes: Buffer, size: number, read = { toEnd: false }): AsyncIterable<Uint8Array> {
  return (async function* () {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    read.toEnd = true;
  })();
}

const collect = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

// Real archives made by GNU tar (the tool that packs our rootfs), in each of its header formats.
const work = mkdtempSync(join(tmpdir(), 'accelbase-tar-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function archive(name: string, files: Record<string, string>, format = 'gnu'): Buffer {
  const dir = join(work, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  const out = join(work, `${name}.tar`);
  execFileSync('tar', ['--create', `--format=${format}`, '--sort=name', '--file', out, '-C', dir, '.']);
  return readFileSync(out);
}

const longPath = `usr/share/${'deep/'.repeat(30)}file.txt`;

describe.each(['gnu', 'pax', 'ustar'])('tar format %s', (format) => {
  const files = {
    'var/lib/dpkg/status': 'Package: libc6\n',
    'etc/hostname': 'x\n',
    ...(format === 'ustar' ? {} : { [longPath]: 'long' }),
  };
  const tar = archive(format, files, format);
  test('lists every file without ./', () => {
    const paths = [...tarEntries(tar)]
      .filter((e) => e.type === '0')
      .map((e) => e.path)
      .sort();
    expect(paths).toEqual(Object.keys(files).sort());
  });
  test('reads one file, plain or gzip-compressed', () => {
    expect(tarFile(tar, 'var/lib/dpkg/status')?.toString()).toBe('Package: libc6\n');
    expect(tarFile(gzipSync(tar), 'var/lib/dpkg/status')?.toString()).toBe('Package: libc6\n');
    expect(tarFile(tar, 'var/lib/dpkg/missing')).toBeUndefined();
    if (format !== 'ustar') expect(tarFile(tar, longPath)?.toString()).toBe('long');
  });
  test.each([
    { what: 'plain, in 7-byte chunks', bytes: () => tar, size: 7 },
    { what: 'gzip-compressed, in 5-byte chunks', bytes: () => gzipSync(tar), size: 5 },
    { what: 'gzip-compressed, in one chunk', bytes: () => gzipSync(tar), size: 1 << 20 },
  ])('streamed ($what): the same entries, data only where kept, read to the end', async ({ bytes, size }) => {
    const read = { toEnd: false };
    const entries = await collect(tarEntriesFrom(chunked(bytes(), size, read), (p) => p === 'var/lib/dpkg/status'));
    const contents = Object.fromEntries(entries.filter((e) => e.type === '0').map((e) => [e.path, e.data.toString()]));
    expect(contents).toEqual(
      Object.fromEntries(Object.keys(files).map((p) => [p, p === 'var/lib/dpkg/status' ? 'Package: libc6\n' : ''])),
    );
    expect(read.toEnd).toBe(true);
  });
});

test('layers: the top-most copy wins, a whiteout above removes it', async () => {
  const base = archive('l0', { 'var/lib/dpkg/status': 'base' });
  const upper = archive('l1', { 'var/lib/dpkg/status': 'upper' });
  const other = archive('l2', { 'etc/motd': 'hi' });
  const whiteout = archive('l3', { 'var/lib/dpkg/.wh.status': '' });
  const opaque = archive('l4', { 'var/lib/dpkg/.wh..wh..opq': '' });
  const read = (layers: Buffer[]) => {
    const fetched: number[] = [];
    const file = fileInLayers(layers.length, async (i) => (fetched.push(i), layers[i]), 'var/lib/dpkg/status');
    return file.then((f) => ({ text: f?.toString(), fetched }));
  };
  expect(await read([base, upper, other])).toEqual({ text: 'upper', fetched: [2, 1] });
  expect(await read([base, other])).toEqual({ text: 'base', fetched: [1, 0] });
  expect(await read([base, whiteout])).toEqual({ text: undefined, fetched: [1] });
  expect(await read([base, opaque])).toEqual({ text: undefined, fetched: [1] });
  expect(await read([other])).toEqual({ text: undefined, fetched: [0] });
  // The same answers from streamed, compressed layers.
  const streamed = await fileInLayers(2, async (i) => chunked(gzipSync([base, upper][i]), 100), 'var/lib/dpkg/status');
  expect(streamed?.toString()).toBe('upper');
  expect(
    await fileInLayers(2, async (i) => chunked(gzipSync([base, whiteout][i]), 100), 'var/lib/dpkg/status'),
  ).toBeUndefined();
});

test('a streamed archive that breaks off mid-way is an error, not a short listing', async () => {
  const big = archive('big', { 'a.bin': 'x'.repeat(5000), 'var/lib/dpkg/status': 's' });
  const gz = gzipSync(big);
  await expect(collect(tarEntriesFrom(chunked(gz.subarray(0, gz.length >> 1), 64), () => true))).rejects.toThrow();
});
