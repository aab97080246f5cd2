// Engine tier: brings the engine up (idempotent; it is left running) and checks what builds rely on.
import { envConfig } from '../test/run-config.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../exec.js';
import { dockerBinary, engineEnv } from './client.js';
import { DAEMON_CONFIG } from './dockerd.js';
import { engineStatus, engineUp, hasBridgeNetwork, type EngineUpResult } from './engine.js';
import { enginePaths } from './paths.js';
import { readState } from './state.js';
import { MIN_BUILDX, versionAtLeast } from './versions.js';

describe('engine', () => {
  let up: EngineUpResult;
  const scratch = mkdtempSync(join(tmpdir(), 'accelbase-engine-itg-'));

  beforeAll(async () => {
    const start = performance.now();
    up = await engineUp(envConfig());
    console.log(
      `engine up: ${((performance.now() - start) / 1000).toFixed(1)} s (already running: ${up.alreadyRunning})`,
    );
  });

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('reports buildx >= 0.14, amd64 and arm64, and a registry that answers', async () => {
    const s = await engineStatus(envConfig());
    expect(s.running).toBe(true);
    expect(versionAtLeast(s.buildxVersion, MIN_BUILDX)).toBe(true);
    expect(s.platforms).toContain('linux/amd64');
    expect(s.platforms).toContain('linux/arm64');
    expect(s.registry.up).toBe(true);
    expect(s.registry.host).toBe('127.0.0.1:5000');
    const res = await fetch(`${s.registry.url}/v2/`);
    expect(res.status).toBe(200);
  });

  it('is idempotent', async () => {
    const again = await engineUp(envConfig());
    expect(again.alreadyRunning).toBe(true);
    expect(again.dockerHost).toBe(up.dockerHost);
    if (up.managed) expect(again.pids.dockerd).toBe(up.pids.dockerd);
  });

  it('runs the managed dockerd without a bridge, with its own socket and the prefix client', async () => {
    const state = readState(envConfig().engineHome);
    if (!state?.managed) return; // an adopted engine is configured by its owner
    const paths = enginePaths(envConfig().engineHome);
    expect(JSON.parse(readFileSync(paths.daemonJson, 'utf8'))).toEqual(DAEMON_CONFIG);
    expect(await hasBridgeNetwork(envConfig())).toBe(false);
    const env = engineEnv(envConfig());
    expect(env.DOCKER_HOST).toBe(`unix://${paths.socket}`);
    expect(env.DOCKER_CONFIG).toBe(paths.dockerConfig);
    expect(dockerBinary(envConfig().engineHome)).toBe(join(paths.prefix, 'usr/bin/docker'));
    for (const pid of Object.values(state.pids))
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain(paths.home);
  });

  it('bounds the build cache: BuildKit reports the 24 GB it keeps', async () => {
    const state = readState(envConfig().engineHome);
    if (!state?.managed) return;
    // `dockerd --validate` accepts a misspelt key inside `builder`: only BuildKit's own policy shows it took effect.
    const inspect = await run(dockerBinary(envConfig().engineHome), ['buildx', 'inspect', 'default'], {
      env: engineEnv(envConfig()),
    });
    expect(inspect.stdout).toMatch(/GC Policy rule#\d+:\n All: +true\n Reserved Space: +24GiB/);
  });

  it('runs a container with --network none', async () => {
    const state = readState(envConfig().engineHome);
    if (!state?.managed) return;
    // Nothing can be pulled here: import a one-file image made of a static binary from the prefix.
    const paths = enginePaths(envConfig().engineHome);
    const tar = join(scratch, 'static.tar');
    await run('tar', ['--create', '--file', tar, '--directory', join(paths.prefix, 'usr/bin'), 'tini-static']);
    const env = engineEnv(envConfig());
    const docker = dockerBinary(envConfig().engineHome);
    await run(docker, ['import', '--change', 'ENTRYPOINT ["/tini-static"]', tar, 'accelbase-itg/static:latest'], {
      env,
    });
    const r = await run(
      docker,
      ['run', '--rm', '--network', 'none', '--platform', 'linux/amd64', 'accelbase-itg/static:latest', '--version'],
      { env },
    );
    expect(r.stdout).toMatch(/tini version/);
  });
});
