// docker run / pull / image inspect for short-lived containers (smoke tests): argument builders and runners.
import { run, type RunResult } from '../exec.js';
import type { DockerEngine } from './engine.js';

export interface ContainerSpec {
  /** Named, so a container that outlives its timeout can be removed. */
  name: string;
  platform: string;
  ref: string;
  command: readonly string[];
  env?: Record<string, string>;
  /** Device flags (`--device`, `--gpus`, ...) for the profile. */
  devices?: readonly string[];
}

/** Always `--rm`, no network, and the image pulled only when missing. */
export function runArgs(c: ContainerSpec): string[] {
  return [
    'run', '--rm', '--name', c.name, '--network', 'none', '--platform', c.platform, '--pull', 'missing',
    ...Object.entries(c.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    ...(c.devices ?? []),
    c.ref, ...c.command,
  ];
}

/** A local inspect is much cheaper than asking the registry. */
export const imagePresent = async (engine: DockerEngine, ref: string): Promise<boolean> =>
  (await run(engine.docker, ['image', 'inspect', '--format', '{{.Id}}', ref], { env: engine.env, allowFailure: true })).exitCode === 0;

export const pullImage = (engine: DockerEngine, ref: string, platform: string, timeoutMs: number): Promise<RunResult> =>
  run(engine.docker, ['pull', '--quiet', '--platform', platform, ref], { env: engine.env, allowFailure: true, timeoutMs });

/** Run to completion (or the timeout, after which the container is removed). */
export async function runContainer(engine: DockerEngine, c: ContainerSpec, timeoutMs: number): Promise<RunResult> {
  const r = await run(engine.docker, runArgs(c), { env: engine.env, allowFailure: true, timeoutMs });
  if (r.timedOut) await run(engine.docker, ['rm', '--force', c.name], { env: engine.env, allowFailure: true });
  return r;
}
