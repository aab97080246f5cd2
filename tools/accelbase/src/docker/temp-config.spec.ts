// The temporary DOCKER_CONFIG for a SODALITE file's registry login: only that login, owner-only,
// the engine's plugins linked in, and gone afterwards, also when the command fails.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { withTemporaryLogin } from './temp-config.js';

const base = mkdtempSync(join(tmpdir(), 'accelbase-base-config-'));
mkdirSync(join(base, 'cli-plugins'));

test.each([
  ['127.0.0.1:5000', '127.0.0.1:5000'],
  ['docker.io', 'https://index.docker.io/v1/'],
])('a login for %s', async (host, key) => {
  let seen = '';
  await withTemporaryLogin({ host, username: 'user', password: 'p@ss' }, base, async (dir) => {
    seen = dir;
    expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({
      auths: { [key]: { auth: Buffer.from('user:p@ss').toString('base64') } },
    });
    expect(readlinkSync(join(dir, 'cli-plugins'))).toBe(join(base, 'cli-plugins'));
  });
  expect(existsSync(seen)).toBe(false);
  expect(existsSync(join(base, 'cli-plugins'))).toBe(true);
});

test('removed when the command fails', async () => {
  let seen = '';
  await expect(
    withTemporaryLogin({ host: 'h.example', username: 'u', password: 'p' }, undefined, async (dir) => {
      seen = dir;
      throw new Error('bake failed');
    }),
  ).rejects.toThrow('bake failed');
  expect(existsSync(seen)).toBe(false);
});
