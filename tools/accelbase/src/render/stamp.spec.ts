import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { workspaceFor } from '../catalog/workspace-paths.js';
import { inputKey, stampHolds, writeStamp } from './stamp.js';

let root: string;
const ws = () => workspaceFor(join(root, 'catalog.yaml'));
const rendered = new Map([
  ['images/a/Dockerfile', 'FROM scratch\n'],
  ['docker-bake.json', '{}\n'],
]);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'accelbase-stamp-'));
  writeFileSync(join(root, 'catalog.yaml'), 'version: 1\n');
  mkdirSync(join(root, 'generators', 'templates'), { recursive: true });
  writeFileSync(join(root, 'generators', 'templates', 'Dockerfile.eta'), 'FROM <%= it.base %>\n');
  for (const [p, t] of rendered) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), t);
  }
  writeStamp(ws(), inputKey('code-1', ws()), rendered);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the render stamp', () => {
  test('vouches for the tree it recorded', () => {
    expect(stampHolds(ws(), inputKey('code-1', ws()))).toHaveLength(2);
  });

  test.each([
    ['the code changed', () => 'code-2'],
    ['the catalog changed', () => (writeFileSync(join(root, 'catalog.yaml'), 'version: 2\n'), 'code-1')],
    ['a lock file appeared', () => (writeFileSync(join(root, 'catalog.lock.yaml'), 'images: {}\n'), 'code-1')],
    [
      'a template changed',
      () => (writeFileSync(join(root, 'generators', 'templates', 'Dockerfile.eta'), 'FROM x\n'), 'code-1'),
    ],
    [
      'a rendered file was edited',
      () => (writeFileSync(join(root, 'images', 'a', 'Dockerfile'), 'FROM busybox\n'), 'code-1'),
    ],
    ['a rendered file was removed', () => (rmSync(join(root, 'docker-bake.json')), 'code-1')],
    ['a stale file sits under images/', () => (writeFileSync(join(root, 'images', 'a', 'extra'), 'x'), 'code-1')],
    ['the stamp is corrupt', () => (writeFileSync(join(root, '.accelbase', 'render-stamp.json'), '{'), 'code-1')],
  ])('renders in full when %s', (_why, change) => {
    const code = change();
    expect(stampHolds(ws(), inputKey(code, ws()))).toBeUndefined();
  });
});
