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
  /** `missing` (the default) pulls an absent image first; `never` fails at once (see isMissingImage). */
  pull?: 'missing' | 'never';
}

/** Always `--rm`, no network, and the image pulled only when missing (or never). */
export function runArgs(c: ContainerSpec): string[] {
  return [
    'run',
    '--rm',
    '--name',
    c.name,
    '--network',
    'none',
    '--platform',
    c.platform,
    '--pull',
    c.pull ?? 'missing',
    ...Object.entries(c.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    ...(c.devices ?? []),
    c.ref,
    ...c.command,
  ];
}

/** What `docker run --pull never` answers for an image that is not here (exit 125, before any container starts). */
export const isMissingImage = (r: Pick<RunResult, 'exitCode' | 'stderr'>): boolean =>
  r.exitCode === 125 && /No such image/i.test(r.stderr);

export const pullImage = (engine: DockerEngine, ref: string, platform: string, timeoutMs: number): Promise<RunResult> =>
  run(engine.docker, ['pull', '--quiet', '--platform', platform, ref], {
    env: engine.env,
    allowFailure: true,
    timeoutMs,
  });

/** Run to completion (or the timeout, after which the container is removed). */
export async function runContainer(engine: DockerEngine, c: ContainerSpec, timeoutMs: number): Promise<RunResult> {
  const r = await run(engine.docker, runArgs(c), { env: engine.env, allowFailure: true, timeoutMs });
  if (r.timedOut) await run(engine.docker, ['rm', '--force', c.name], { env: engine.env, allowFailure: true });
  return r;
}
