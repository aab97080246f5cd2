// Engine tier: SODALITE files in each shape, built and pushed to the local registry under this
// branch's namespace, tags listed by GET /v2/<name>/tags/list. Sources are local: a git repository
// made here (file://) and a folder; the Dockerfile builds FROM scratch, so nothing is pulled.
import { envConfig } from '../test/run-config.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { engineUp } from '../engine/engine.js';
import { run } from '../exec.js';
import { getManifest, indexPlatforms, listTags } from '../oci/registry.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const bin = join(repoRoot, 'tools', 'accelbase', 'bin', 'accelbase.js');
const NS = '127.0.0.1:5000/app-authors';
const dir = mkdtempSync(join(tmpdir(), 'accelbase-sodalite-'));
const repo = join(dir, 'repo');

beforeAll(async () => {
  await engineUp(envConfig());
  // SODALITE's git_workdir_dockerfile layout: docker_dir/Dockerfile, the context code_dir.
  mkdirSync(join(repo, 'docker_dir'), { recursive: true });
  mkdirSync(join(repo, 'code_dir'));
  writeFileSync(join(repo, 'docker_dir', 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /\n');
  writeFileSync(join(repo, 'code_dir', 'hello.txt'), 'hello from code_dir\n');
  for (const args of [
    ['init', '-q', '-b', 'main'],
    ['add', '.'],
    ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'app'],
  ])
    await run('git', args, { cwd: repo });
  mkdirSync(join(dir, 'local'));
  writeFileSync(join(dir, 'local', 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /\n');
  writeFileSync(join(dir, 'local', 'hello.txt'), 'hello\n');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test.each([
  [
    'git_repo with dockerfile and workdir, .json, registry with http://',
    'git.json',
    JSON.stringify(
      {
        source: { git_repo: { url: `file://${repo}`, dockerfile: 'docker_dir/Dockerfile', workdir: 'code_dir' } },
        target: {
          registry: { url: 'http://127.0.0.1:5000' },
          images: [{ image: 'app-authors/sod-git', tag: 'latest', platforms: ['linux/amd64', 'linux/arm64'] }],
        },
      },
      null,
      2,
    ),
    `${NS}/sod-git`,
    'latest',
  ],
  [
    'local Dockerfile, no registry block, no base',
    'local.yaml',
    `# a folder beside the file\nsource:\n  dockerfile: { url: local/Dockerfile }\n  build_context: { url: local }\ntarget:\n  images:\n    - image: ${NS}/sod-local\n      tag: std\n      platforms: [linux/amd64, linux/arm64, linux/386]\n`,
    `${NS}/sod-local`,
    'std',
  ],
  [
    'registry url without scheme, credentials in the file',
    'login.yaml',
    `source:\n  dockerfile: { url: local/Dockerfile }\n  build_context: { url: local }\ntarget:\n  registry: { url: "127.0.0.1:5000", username: user, password: secret-pw }\n  images:\n    - { image: app-authors/sod-login, tag: v1, platforms: [linux/amd64, linux/arm64] }\n`,
    `${NS}/sod-login`,
    'v1',
  ],
])(
  '%s',
  async (_name, fileName, text, image, tag) => {
    writeFileSync(join(dir, fileName), text);
    const r = await run('node', [bin, 'variants', join(dir, fileName), '--push', '--json'], {
      cwd: repoRoot,
      allowFailure: true,
      timeoutMs: 10 * 60_000,
    });
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    expect(r.stderr).not.toContain('secret-pw');
    expect(r.stdout).not.toContain('secret-pw');
    expect(JSON.parse(r.stdout).tags[image]).toContain(tag);
    expect(await listTags(image)).toContain(tag);
    expect(indexPlatforms((await getManifest(image, tag)).body)).toEqual(['linux/amd64', 'linux/arm64']);
  },
  11 * 60_000,
);
