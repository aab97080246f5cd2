// The build engine: dockerd + buildx + a local registry, made from Debian packages extracted into a
// private prefix so the host's package state is never touched. `accelbase engine up|down|status`.
import { existsSync, mkdirSync } from 'node:fs';
import { UserError } from '../errors.js';
import { tail } from '../exec.js';
import { info } from '../log.js';
import { ensureBinfmt } from './binfmt.js';
import {
  buildxVersion,
  clientInstalled,
  daemonAnswers,
  engineClient,
  runDocker,
  pingSocket,
  serverVersion,
  type EngineClient,
  type EngineSettings,
} from './client.js';
import { pidAlive, pidIsOurs, readPid, stopPid } from './daemon.js';
import { runningDockerd, startDockerd } from './dockerd.js';
import { enginePaths, managedDockerHost, prefixDocker, type EnginePaths } from './paths.js';
import { addNewParts, prefixPackages, provisionEngine } from './provision.js';
import { PACKAGE_CACHE_URL, proxyAnswers, startPackageCache } from './package-cache.js';
import { REGISTRY_URL, registryAnswers, startRegistry } from './registry.js';
import { clearState, readStateSafe, writeState, type EngineState } from './state.js';
import { MIN_BUILDX, parseBuilder, parsePlatforms, versionAtLeast, type BuilderInfo } from './versions.js';

export interface EngineUpResult {
  managed: boolean;
  alreadyRunning: boolean;
  dockerHost: string;
  registryUrl: string;
  pids: Record<string, number>;
}

/**
 * Start the registry unless one answers, recording its PID in `pids`; the URL to use. An instance
 * shares the default engine's registry and never starts (so never stops) it.
 */
async function ensureRegistry(paths: EnginePaths, pids: Record<string, number>): Promise<string> {
  if (paths.instance) {
    if (await registryAnswers(REGISTRY_URL)) return REGISTRY_URL;
    throw new UserError(
      `engine instance ${paths.instance} shares the registry at ${REGISTRY_URL}, and none answers there; run \`accelbase engine up\` (the default engine) first`,
    );
  }
  const reg = await startRegistry(paths);
  if (reg.pid) pids.registry = reg.pid;
  return reg.url;
}

/**
 * Start the package cache unless something listens on its port, recording its PID. Instances share
 * the default engine's, as they share its registry.
 */
async function ensurePackageCache(e: EngineSettings, paths: EnginePaths, pids: Record<string, number>): Promise<void> {
  if (paths.instance || (await proxyAnswers(PACKAGE_CACHE_URL))) return;
  // A prefix made before the package cache joined the plan is completed first.
  await provisionEngine(paths.home, e.debianMirror);
  const cache = await startPackageCache(paths);
  if (cache.pid) pids.packageCache = cache.pid;
}

/** The engine the state file records, when it is our dockerd and it still answers. */
async function resumeRecorded(
  e: EngineSettings,
  paths: EnginePaths,
  prev: EngineState,
): Promise<EngineUpResult | undefined> {
  const dockerd = prev.pids.dockerd;
  if (!prev.managed || !dockerd || !pidAlive(dockerd) || !pidIsOurs(dockerd, paths.home)) return undefined;
  if (!(await daemonAnswers(engineClient(e), 30_000))) return undefined;
  const pids = { ...prev.pids };
  if (!(await registryAnswers(prev.registryUrl))) await ensureRegistry(paths, pids);
  await ensurePackageCache(e, paths, pids);
  if (JSON.stringify(pids) !== JSON.stringify(prev.pids)) writeState(paths.home, { ...prev, pids });
  info(`engine: already running (dockerd pid ${dockerd}, ${prev.dockerHost}, registry ${prev.registryUrl})`);
  return { managed: true, alreadyRunning: true, dockerHost: prev.dockerHost, registryUrl: prev.registryUrl, pids };
}

/**
 * A managed engine whose state file was lost still answers on our socket: adopt it from its pidfiles
 * rather than start a second dockerd that would refuse the same data root.
 */
async function recoverManaged(e: EngineSettings, paths: EnginePaths): Promise<EngineState | undefined> {
  const pids = await runningDockerd(paths, e.path);
  if (!pids) return undefined;
  const registry = readPid(paths.registryPidfile);
  let registryUrl = REGISTRY_URL;
  if (registry && pidAlive(registry) && pidIsOurs(registry, paths.home)) pids.registry = registry;
  else registryUrl = await ensureRegistry(paths, pids);
  await ensurePackageCache(e, paths, pids);
  return managedState(paths, { registryUrl, pids });
}

function managedState(paths: EnginePaths, o: { registryUrl: string; pids: Record<string, number> }): EngineState {
  const dockerHost = managedDockerHost(paths);
  return {
    version: 1,
    managed: true,
    dockerHost,
    client: prefixDocker(paths.prefix),
    socket: paths.socket,
    ...o,
    startedAt: new Date().toISOString(),
  };
}

/** An engine that is already there: DOCKER_HOST, else the system socket, with a new-enough buildx. */
async function usableExternalEngine(
  e: EngineSettings,
  paths: EnginePaths,
): Promise<(EngineClient & { dockerHost: string }) | undefined> {
  const host = e.dockerHost || (existsSync('/var/run/docker.sock') ? 'unix:///var/run/docker.sock' : '');
  if (!host || host === managedDockerHost(paths)) return undefined;
  // The user's own client and plugins go with the user's engine.
  const cand = { dockerHost: host, docker: 'docker', env: { DOCKER_HOST: host } };
  if ((await serverVersion(cand, 15_000)) === undefined) {
    info(`engine: ${host} does not answer; starting a managed engine instead`);
    return undefined;
  }
  const v = await buildxVersion(cand, 15_000);
  if (!versionAtLeast(v, MIN_BUILDX)) {
    info(
      `engine: ${host} answers but buildx ${v ?? 'is missing'} (< ${MIN_BUILDX}); starting a managed engine instead`,
    );
    return undefined;
  }
  return cand;
}

/** Use an engine that is already running; only the registry is ours (started unless one answers). */
async function adoptExternal(
  e: EngineSettings,
  paths: EnginePaths,
  external: EngineClient & { dockerHost: string },
): Promise<EngineUpResult> {
  info(`engine: using the engine that is already running at ${external.dockerHost}`);
  const pids: Record<string, number> = {};
  let registryUrl = REGISTRY_URL;
  if (!(await registryAnswers(registryUrl))) {
    await provisionEngine(paths.home, e.debianMirror);
    registryUrl = await ensureRegistry(paths, pids);
  }
  await ensurePackageCache(e, paths, pids);
  writeState(paths.home, {
    version: 1,
    managed: false,
    dockerHost: external.dockerHost,
    client: external.docker,
    registryUrl,
    pids,
    startedAt: new Date().toISOString(),
  });
  return { managed: false, alreadyRunning: true, dockerHost: external.dockerHost, registryUrl, pids };
}

/** Provision the prefix, register binfmt, start dockerd and the registry; on failure, stop what started. */
async function startManaged(e: EngineSettings, paths: EnginePaths): Promise<EngineUpResult> {
  if (process.getuid?.() !== 0) {
    throw new UserError(
      'engine: starting dockerd needs root; run `accelbase engine up` as root, or point DOCKER_HOST at an engine with buildx >= 0.14',
    );
  }
  // Before anything starts: an instance needs the default engine's registry.
  if (paths.instance) await ensureRegistry(paths, {});
  const prov = await provisionEngine(paths.home, e.debianMirror);
  if (prov.cached)
    info(
      `engine: prefix ${prov.prefix} is complete (${prov.packages.map((p) => `${p.name} ${p.version}`).join(', ')})`,
    );
  // Before dockerd starts: BuildKit probes emulators once, at start.
  await ensureBinfmt(prov.prefix);
  mkdirSync(paths.logs, { recursive: true });
  const pids: Record<string, number> = {};
  const state = managedState(paths, { registryUrl: REGISTRY_URL, pids });
  try {
    Object.assign(pids, await startDockerd(paths, e.path));
    writeState(paths.home, state);
    state.registryUrl = await ensureRegistry(paths, pids);
    await ensurePackageCache(e, paths, pids);
    writeState(paths.home, state);
  } catch (e) {
    // Leave nothing half-started behind.
    for (const [name, pid] of Object.entries(pids)) await stopPid(name, pid, paths.home, 15_000);
    clearState(paths.home);
    throw e;
  }
  info(
    `engine: started dockerd${paths.instance ? ` for instance ${paths.instance}` : ''} (pid ${pids.dockerd}${pids.containerd ? `, containerd pid ${pids.containerd}` : ''}) on ${state.dockerHost}`,
  );
  info(
    paths.instance
      ? `engine: sharing the registry at ${state.registryUrl}`
      : `engine: started docker-registry${pids.registry ? ` (pid ${pids.registry})` : ''} at ${state.registryUrl}`,
  );
  info(`engine: clients use DOCKER_HOST=${state.dockerHost} DOCKER_CONFIG=${paths.dockerConfig} ${state.client}`);
  return {
    managed: true,
    alreadyRunning: false,
    dockerHost: state.dockerHost,
    registryUrl: state.registryUrl,
    pids: { ...pids },
  };
}

/** Idempotent: resume the recorded engine, adopt a lost managed one or an external one, else start ours. */
export async function engineUp(e: EngineSettings): Promise<EngineUpResult> {
  const home = e.engineHome;
  const paths = enginePaths(home);
  mkdirSync(paths.home, { recursive: true });

  const prev = readStateSafe(home);
  const resumed = prev && (await resumeRecorded(e, paths, prev));
  if (resumed) {
    // `up` again after an upgrade gives a running engine the parts planned since (cosign).
    await addNewParts(paths.home, e.debianMirror);
    return resumed;
  }
  if (prev) clearState(home);

  const orphan = await recoverManaged(e, paths);
  if (orphan) {
    writeState(home, orphan);
    info(`engine: already running (dockerd pid ${orphan.pids.dockerd}, ${orphan.dockerHost}); state file rewritten`);
    return {
      managed: true,
      alreadyRunning: true,
      dockerHost: orphan.dockerHost,
      registryUrl: orphan.registryUrl,
      pids: { ...orphan.pids },
    };
  }
  // An instance is always a dockerd of our own: it stands in for another runner.
  const external = paths.instance ? undefined : await usableExternalEngine(e, paths);
  if (external) return adoptExternal(e, paths, external);
  return startManaged(e, paths);
}

export async function engineDown(home: string): Promise<{ stopped: Record<string, number> }> {
  const state = readStateSafe(home);
  const stopped: Record<string, number> = {};
  if (!state) {
    info('engine: not running (no state file)');
    clearState(home);
    return { stopped };
  }
  // dockerd first: it stops its containers and its containerd; then whatever is left, then the registry.
  const order = [
    'dockerd',
    'containerd',
    'registry',
    ...Object.keys(state.pids).filter((k) => !['dockerd', 'containerd', 'registry'].includes(k)),
  ];
  for (const name of order) {
    const pid = state.pids[name];
    if (pid && (await stopPid(name, pid, home, name === 'dockerd' ? 30_000 : 10_000))) stopped[name] = pid;
  }
  clearState(home);
  info(
    Object.keys(stopped).length
      ? `engine: stopped ${Object.entries(stopped)
          .map(([n, p]) => `${n} (${p})`)
          .join(', ')}`
      : 'engine: nothing of ours was running',
  );
  return { stopped };
}

export interface EngineStatus {
  /** The instance asked about; absent for the default engine. */
  instance?: string;
  running: boolean;
  dockerHost: string;
  dockerVersion?: string;
  buildxVersion?: string;
  /** The prefix's cosign (Debian's package version), which signs and verifies pushed images. */
  cosignVersion?: string;
  platforms: string[];
  /** The buildx builder builds use (`--builder`, ACCELBASE_BUILDER, else the current one): its nodes and their platforms. */
  builder?: BuilderInfo;
  registry: { url: string; host: string; up: boolean };
  /** The package cache builds fetch through (ACCELBASE_APT_PROXY overrides it per command). */
  packageCache: { url: string; up: boolean };
  pids: Record<string, number>;
  managed: boolean;
}

export async function engineStatus(e: EngineSettings, builder?: string): Promise<EngineStatus> {
  const home = e.engineHome;
  const state = readStateSafe(home);
  const client = engineClient(e);
  const url = state?.registryUrl || REGISTRY_URL;
  const { instance } = enginePaths(home);
  const status: EngineStatus = {
    ...(instance ? { instance } : {}),
    running: false,
    dockerHost: client.env.DOCKER_HOST,
    platforms: [],
    registry: { url, host: url.replace(/^https?:\/\//, ''), up: await registryAnswers(url) },
    packageCache: { url: PACKAGE_CACHE_URL, up: await proxyAnswers(PACKAGE_CACHE_URL) },
    pids: Object.fromEntries(Object.entries(state?.pids ?? {}).filter(([, pid]) => pidAlive(pid))),
    managed: state?.managed ?? instance !== undefined,
  };
  const cosign = prefixPackages(home)?.find((p) => p.name === 'cosign');
  if (cosign) status.cosignVersion = cosign.version;
  if (!clientInstalled(client)) return status;
  const version = await serverVersion(client);
  if (version === undefined) return status;
  status.running = true;
  status.dockerVersion = version;
  const bx = await buildxVersion(client);
  if (bx !== undefined) status.buildxVersion = bx;
  const inspect = await runDocker(client, ['buildx', 'inspect', '--bootstrap', ...(builder ? [builder] : [])], 60_000);
  if (inspect.exitCode === 0) {
    status.platforms = parsePlatforms(inspect.stdout);
    const b = parseBuilder(inspect.stdout);
    if (b) status.builder = b;
  } else if (builder) {
    throw new UserError(
      `engine: no buildx builder ${builder} (${tail(inspect.stderr || inspect.stdout, 2)}); \`docker buildx ls\` lists them`,
    );
  }
  return status;
}

/** Throw a helpful error when no engine answers; otherwise the client env. */
export async function requireEngine(e: EngineSettings): Promise<EngineClient> {
  const client = engineClient(e);
  const ok = clientInstalled(client) && ((await pingSocket(client)) ?? (await serverVersion(client)) !== undefined);
  if (!ok) throw new UserError(`no build engine answers at ${client.env.DOCKER_HOST}; run \`accelbase engine up\``);
  return client;
}

/** Whether the engine has a bridge network; without one, builds need `--set *.network=host --allow network.host`. */
export async function hasBridgeNetwork(e: EngineSettings): Promise<boolean> {
  const r = await runDocker(engineClient(e), ['network', 'ls', '--format', '{{.Driver}}']);
  if (r.exitCode !== 0) throw new UserError(`engine: docker network ls failed: ${tail(r.stderr || r.stdout, 3)}`);
  return r.stdout.split('\n').some((l) => l.trim() === 'bridge');
}
