// How clients (docker, buildx, bake) reach the engine: the environment and the docker binary to run,
// for the managed engine or for one `up` adopted, and the few questions asked of the daemon.
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { delimiter, join } from 'node:path';
import { UserError } from '../errors.js';
import { run, type RunResult } from '../exec.js';
import type { RunConfig } from '../config/run-config.js';
import { enginePaths, managedDockerHost, prefixDocker, prefixPathDirs, type EnginePaths } from './paths.js';
import { readState } from './state.js';
import { parseBuildxVersion } from './versions.js';

export interface EngineClient {
  env: Record<string, string>;
  /** The docker binary: a path, or a bare name looked up on PATH (an adopted engine's own client). */
  docker: string;
}

/** Which engine clients talk to, what of the host they need, and the mirror its prefix comes from: the run config's. */
export type EngineSettings = Pick<RunConfig, 'engineHome' | 'path' | 'dockerHost' | 'debianMirror'>;

/** The managed engine's environment; the prefix (and a host runc, if one was chosen) come first on the host's PATH. */
export function managedEnv(paths: EnginePaths, hostPath: string): Record<string, string> {
  const extra = existsSync(join(paths.binOverride, 'runc')) ? [paths.binOverride] : [];
  return {
    DOCKER_HOST: managedDockerHost(paths),
    DOCKER_CONFIG: paths.dockerConfig,
    PATH: [...extra, ...prefixPathDirs(paths.prefix), hostPath].join(delimiter),
  };
}

/** The client for the managed dockerd, whatever the state file says. */
export function managedClient(paths: EnginePaths, hostPath: string): EngineClient {
  return { env: managedEnv(paths, hostPath), docker: prefixDocker(paths.prefix) };
}

/** What clients (docker, buildx, bake) must run with. Without a state file: the managed engine's. */
export function engineEnv(e: EngineSettings): Record<string, string> {
  const state = readState(e.engineHome);
  if (state && !state.managed) return { DOCKER_HOST: state.dockerHost, PATH: e.path };
  return managedEnv(enginePaths(e.engineHome), e.path);
}

/** The docker client: the prefix's docker-cli for the managed engine, never a stray one on PATH. */
export function dockerBinary(home: string): string {
  const state = readState(home);
  if (state && !state.managed) return state.client;
  return prefixDocker(enginePaths(home).prefix);
}

export function engineClient(e: EngineSettings): EngineClient {
  return { env: engineEnv(e), docker: dockerBinary(e.engineHome) };
}

/** A client given by path must exist; a bare name is left to PATH. */
export function clientInstalled(c: EngineClient): boolean {
  return !c.docker.includes('/') || existsSync(c.docker);
}

/** Run the client; a failure is returned, not thrown. */
export function runDocker(c: EngineClient, args: readonly string[], timeoutMs = 30_000): Promise<RunResult> {
  return run(c.docker, args, { env: c.env, allowFailure: true, timeoutMs });
}

/**
 * Whether the daemon answers `GET /_ping` on its unix socket: the same question as `docker version`
 * without starting the client (~100 ms on a 2-core host). Undefined when DOCKER_HOST is not a unix
 * socket (then ask the client).
 */
export function pingSocket(c: EngineClient, timeoutMs = 10_000): Promise<boolean> | undefined {
  const host = c.env.DOCKER_HOST ?? '';
  if (!host.startsWith('unix://')) return undefined;
  return new Promise((resolve) => {
    const req = request({ socketPath: host.slice('unix://'.length), path: '/_ping', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** The server's version; undefined when no daemon answers. */
export async function serverVersion(c: EngineClient, timeoutMs = 30_000): Promise<string | undefined> {
  const r = await runDocker(c, ['version', '--format', '{{.Server.Version}}'], timeoutMs);
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

/** The client's buildx plugin version; undefined when it has none. */
export async function buildxVersion(c: EngineClient, timeoutMs = 30_000): Promise<string | undefined> {
  const r = await runDocker(c, ['buildx', 'version'], timeoutMs);
  return r.exitCode === 0 ? parseBuildxVersion(r.stdout) : undefined;
}

/** Whether `docker info` succeeds, i.e. the daemon is up and serving. */
export async function daemonAnswers(c: EngineClient, timeoutMs = 10_000): Promise<boolean> {
  return (await runDocker(c, ['info', '--format', '{{.ServerVersion}}'], timeoutMs)).exitCode === 0;
}

/** Bakes need the buildx plugin: a UserError saying how to get it when the client has none. */
export async function requireBuildx(c: EngineClient): Promise<void> {
  if ((await runDocker(c, ['buildx', 'version'])).exitCode !== 0)
    throw new UserError(
      'docker buildx is not available: run `accelbase engine up` (on Debian it provisions dockerd and buildx from Debian packages), or install the buildx plugin',
    );
}
