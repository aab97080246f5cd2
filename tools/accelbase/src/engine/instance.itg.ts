// Engine tier: a second dockerd (an instance) beside the default engine, sharing its prefix and
// registry, started and stopped without touching the default one.
import { envConfig, engineAt } from '../test/run-config.js';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../exec.js';
import { engineClient } from './client.js';
import { pidAlive } from './daemon.js';
import { DAEMON_CONFIG } from './dockerd.js';
import { engineDown, engineStatus, engineUp, hasBridgeNetwork, type EngineUpResult } from './engine.js';
import { instanceHome } from '../config/engine-instance.js';
import { enginePaths } from './paths.js';
import { readState } from './state.js';

const INSTANCE = 'itg-instance';

describe('engine instance', () => {
  const base = envConfig().engineBaseHome;
  const home = instanceHome(base, INSTANCE);
  let main: EngineUpResult;
  let inst: EngineUpResult;

  beforeAll(async () => {
    main = await engineUp(engineAt(base));
    const start = performance.now();
    inst = await engineUp(engineAt(home));
    console.log(
      `instance up: ${((performance.now() - start) / 1000).toFixed(1)} s (already running: ${inst.alreadyRunning})`,
    );
  });

  afterAll(async () => {
    await engineDown(home);
  });

  it('is a dockerd of its own: data root, exec root, socket, containerd, builders', async () => {
    const paths = enginePaths(home);
    expect(inst.managed).toBe(true);
    expect(inst.dockerHost).toBe(`unix://${paths.socket}`);
    expect(inst.dockerHost).not.toBe(main.dockerHost);
    expect(inst.registryUrl).toBe(main.registryUrl);
    expect(inst.pids.registry).toBeUndefined();
    expect(inst.pids.containerd).toBeDefined();
    if (main.managed) expect(inst.pids.containerd).not.toBe(main.pids.containerd);
    const client = engineClient(engineAt(home));
    expect(client.env.DOCKER_CONFIG).toBe(paths.dockerConfig);
    const info = await run(client.docker, ['info', '--format', '{{json .}}'], { env: client.env });
    const o = JSON.parse(info.stdout) as { DockerRootDir: string; Containers: number };
    expect(o.DockerRootDir).toBe(paths.dataRoot);
    expect(JSON.parse(readFileSync(paths.daemonJson, 'utf8'))).toEqual(DAEMON_CONFIG);
    expect(await hasBridgeNetwork(engineAt(home))).toBe(false);
    const cmdline = readFileSync(`/proc/${inst.pids.containerd}/cmdline`, 'utf8');
    expect(cmdline).toContain(paths.execRoot);
    const s = await engineStatus(engineAt(home));
    expect(s).toMatchObject({ instance: INSTANCE, running: true, registry: { up: true } });
    expect(s.platforms).toContain('linux/amd64');
  });

  it('is idempotent', async () => {
    const again = await engineUp(engineAt(home));
    expect(again.alreadyRunning).toBe(true);
    expect(again.pids.dockerd).toBe(inst.pids.dockerd);
  });

  it('stops only itself: the default engine keeps running with the same PIDs', async () => {
    const before = readState(base);
    const down = await engineDown(home);
    expect(down.stopped.dockerd).toBe(inst.pids.dockerd);
    expect(down.stopped.registry).toBeUndefined();
    expect(pidAlive(inst.pids.dockerd)).toBe(false);
    expect(readState(home)).toBeUndefined();
    expect(readState(base)).toEqual(before);
    for (const pid of Object.values(before?.pids ?? {})) expect(pidAlive(pid)).toBe(true);
    expect((await engineStatus(engineAt(base))).running).toBe(true);
    expect((await engineStatus(engineAt(base))).registry.up).toBe(true);
  });
});
