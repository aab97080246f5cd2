import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { sha256Hex } from '../lib/fs.js';
import { ROOTFS_RECIPE, tarballEpoch } from './ensure.js';
import { installPackagesScript, rootfsFacts, rootfsTarball } from './paths.js';

let root = '';
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'accelbase-ensure-'));
  mkdirSync(dirname(join(root, rootfsTarball('trixie', 'amd64'))), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const tar = () => join(root, rootfsTarball('trixie', 'amd64'));
const writeFacts = (facts: Record<string, unknown>) =>
  writeFileSync(
    join(root, rootfsFacts('trixie', 'amd64')),
    JSON.stringify({
      sourceDateEpoch: 1234,
      installPackages: sha256Hex(readFileSync(installPackagesScript())),
      recipe: ROOTFS_RECIPE,
      ...facts,
    }),
  );
const statOf = () => {
  const st = statSync(tar());
  return { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino };
};

test('facts that match the tarball give its epoch; a tarball whose bytes differ from the facts is stale', async () => {
  writeFileSync(tar(), 'rootfs bytes');
  writeFacts({ sha256: sha256Hex('rootfs bytes') });
  expect(await tarballEpoch(root, 'trixie', 'amd64')).toBe(1234);
  writeFacts({ sha256: sha256Hex('other bytes') });
  expect(await tarballEpoch(root, 'trixie', 'amd64')).toBeUndefined();
});

test('a tarball with the stat its facts recorded is not read again; a touched one is', async () => {
  writeFileSync(tar(), 'rootfs bytes');
  // The recorded sha256 is not the bytes': only a re-read would notice.
  writeFacts({ sha256: sha256Hex('as recorded'), stat: statOf() });
  expect(await tarballEpoch(root, 'trixie', 'amd64')).toBe(1234);
  utimesSync(tar(), new Date(0), new Date(0));
  expect(await tarballEpoch(root, 'trixie', 'amd64')).toBeUndefined();
});
