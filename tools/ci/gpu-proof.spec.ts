import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { run } from '../accelbase/src/exec.js';

// tools/ci/gpu-proof.sh runs on a GPU machine (docs/operators.md); here: its syntax, its usage, and
// that it refuses an archive whose test image is not built FROM the image (no proof of that image).
const script = join(import.meta.dirname, 'gpu-proof.sh');
const proof = (...args: string[]) => run('bash', [script, ...args], { allowFailure: true });

test('bash parses it', async () => {
  const r = await run('bash', ['-n', script], { allowFailure: true });
  expect(r.exitCode, r.stderr).toBe(0);
});

test('without a command: its usage, exit 2', async () => {
  const r = await proof();
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toContain('usage: gpu-proof.sh pack IMAGE TEST_IMAGE ARCHIVE | run ARCHIVE [--runtime|--chroot]');
});

test('a test image that is not built FROM the image is refused before anything runs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpu-proof-'));
  mkdirSync(join(dir, 'in'));
  // docker save's manifest.json, as `run` reads it: two images with no layer in common.
  writeFileSync(
    join(dir, 'in', 'manifest.json'),
    JSON.stringify([
      {
        Config: 'blobs/sha256/c1',
        RepoTags: ['gpu-proof/image:as-pushed'],
        Layers: ['blobs/sha256/a', 'blobs/sha256/b'],
      },
      {
        Config: 'blobs/sha256/c2',
        RepoTags: ['accelbase-test/other:amd64'],
        Layers: ['blobs/sha256/x', 'blobs/sha256/y'],
      },
    ]),
  );
  await run('tar', ['-czf', join(dir, 'proof.tar.gz'), '-C', join(dir, 'in'), 'manifest.json']);
  const r = await proof('run', join(dir, 'proof.tar.gz'));
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toContain('gpu-proof: neither image is built FROM the other');
});
