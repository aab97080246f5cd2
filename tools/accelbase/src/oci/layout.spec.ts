import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { blobPath, layoutBlob, layoutRoot, readBlob } from './layout.js';
import { OCI_MANIFEST } from './media-types.js';

const dir = mkdtempSync(join(tmpdir(), 'accelbase-layout-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const digestOf = (b: string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** A layout whose index.json lists `entries`, with one blob `{}`. */
function layout(name: string, entries: { digest: string }[]): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(root, 'blobs', 'sha256', digestOf('{}').slice(7)), '{}');
  writeFileSync(
    join(root, 'index.json'),
    JSON.stringify({ schemaVersion: 2, manifests: entries.map((e) => ({ mediaType: OCI_MANIFEST, size: 2, ...e })) }),
  );
  return root;
}

test.each([
  ['one entry', [digestOf('{}')]],
  ['the same image under two names', [digestOf('{}'), digestOf('{}')]],
])('layoutRoot: %s is the one image', (name, digests) => {
  expect(
    layoutRoot(
      layout(
        name,
        digests.map((digest) => ({ digest })),
      ),
    ),
  ).toEqual({
    mediaType: OCI_MANIFEST,
    digest: digestOf('{}'),
    size: 2,
  });
});

test.each([
  ['two images', [{ digest: digestOf('{}') }, { digest: digestOf('x') }], /expected one image in index.json, found 2/],
  ['none', [], /expected one image in index.json, found 0/],
])('layoutRoot refuses %s', (name, entries, message) => {
  expect(() => layoutRoot(layout(`refused ${name}`, entries))).toThrow(message);
});

test('blobs: by a sha256 digest only; missing or corrupt ones are UserErrors naming the layout', async () => {
  const root = layout('blobs', [{ digest: digestOf('{}') }]);
  expect(() => blobPath(root, 'sha256:../../etc')).toThrow(/is not a sha256 digest/);
  expect(readBlob(root, digestOf('{}')).toString()).toBe('{}');
  expect(() => readBlob(root, digestOf('absent'))).toThrow(`${root}: blob ${digestOf('absent')} is missing`);
  expect(await layoutBlob(root, digestOf('{}'))).toMatchObject({ digest: digestOf('{}'), size: 2 });
  writeFileSync(blobPath(root, digestOf('{}')), '{ }');
  await expect(layoutBlob(root, digestOf('{}'))).rejects.toThrow(
    `${root}: blob ${digestOf('{}')} does not match its digest`,
  );
});
