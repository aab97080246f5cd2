// The managed dockerd: its network-free configuration, the runc and buildx it runs with, starting it,
// and finding one that is already running from its pidfiles.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { run, tail } from '../exec.js';
import { info } from '../log.js';
import { daemonAnswers, managedClient } from './client.js';
import { launchDaemon, pidAlive, pidIsOurs, readPid, stopPid, waitFor } from './daemon.js';
import { buildxPlugin, managedDockerHost, prefixTool, type EnginePaths } from './paths.js';

/**
 * dockerd must never create a bridge, touch iptables or allocate private-range addresses. Its build
 * cache is bounded: unbounded, a few whole-catalog runs (cuda-devel is gigabytes a build) filled
 * this host's disk to 97%, 52 GB of it build cache.
 */
export const DAEMON_CONFIG = {
  features: { 'containerd-snapshotter': true },
  bridge: 'none',
  iptables: false,
  'ip-masq': false,
  ip6tables: false,
  builder: { gc: { enabled: true, defaultKeepStorage: '24GB' } },
} as const;

export function daemonJson(): string {
  return `${JSON.stringify(DAEMON_CONFIG)}\n`;
}

/** The prefix's runc, or the host's when the prefix's cannot run here (e.g. a newer libc). */
async function chooseRunc(paths: EnginePaths): Promise<string> {
  rmSync(paths.binOverride, { recursive: true, force: true });
  const own = prefixTool(paths.prefix, 'runc');
  const r = await run(own, ['--version'], { allowFailure: true });
  if (r.exitCode === 0) return own;
  for (const host of ['/usr/sbin/runc', '/usr/bin/runc', '/usr/local/sbin/runc', '/usr/local/bin/runc']) {
    if (existsSync(host) && (await run(host, ['--version'], { allowFailure: true })).exitCode === 0) {
      mkdirSync(paths.binOverride, { recursive: true });
      symlinkSync(host, join(paths.binOverride, 'runc'));
      info(`engine: the prefix's runc does not run here; using ${host}`);
      return host;
    }
  }
  throw new UserError(`engine: ${own} does not run (${tail(r.stderr || r.stdout, 3)}) and the host has no runc`);
}

/** The prefix's buildx as a CLI plugin of the managed client's DOCKER_CONFIG. */
function linkBuildx(paths: EnginePaths): void {
  const plugins = join(paths.dockerConfig, 'cli-plugins');
  mkdirSync(plugins, { recursive: true });
  const link = join(plugins, 'docker-buildx');
  const target = buildxPlugin(paths.prefix);
  try {
    if (lstatSync(link).isSymbolicLink() && readlinkSync(link) === target) return;
    unlinkSync(link);
  } catch {
    /* not there yet */
  }
  symlinkSync(target, link);
}

/**
 * dockerd supervises a containerd of its own (socket and state under its exec root, content under its
 * data root) unless a system containerd answers at this socket, which every dockerd would then share.
 */
export const SYSTEM_CONTAINERD_SOCKET = '/run/containerd/containerd.sock';

/** Start dockerd from the prefix and wait until it answers; the PIDs of dockerd and its containerd. */
export async function startDockerd(paths: EnginePaths, hostPath: string): Promise<Record<string, number>> {
  if (paths.instance && existsSync(SYSTEM_CONTAINERD_SOCKET)) {
    throw new UserError(
      `engine instance ${paths.instance}: ${SYSTEM_CONTAINERD_SOCKET} exists, so its dockerd would share the system containerd's state with every other engine; stop that containerd first`,
    );
  }
  await chooseRunc(paths);
  for (const d of [paths.dataRoot, paths.execRoot, paths.logs]) mkdirSync(d, { recursive: true });
  writeFileSync(paths.daemonJson, daemonJson());
  linkBuildx(paths);
  // A socket or pidfile left by a dockerd that died would make the new one refuse to start.
  rmSync(paths.socket, { force: true });
  rmSync(paths.pidfile, { force: true });
  const client = managedClient(paths, hostPath);
  const log = join(paths.logs, 'dockerd.log');
  const args = [
    '--config-file',
    paths.daemonJson,
    '--data-root',
    paths.dataRoot,
    '--exec-root',
    paths.execRoot,
    '--pidfile',
    paths.pidfile,
    '-H',
    managedDockerHost(paths),
  ];
  info(`engine: starting dockerd${paths.instance ? ` for instance ${paths.instance}` : ''} (log ${log})`);
  const pid = await launchDaemon(prefixTool(paths.prefix, 'dockerd'), args, {
    env: { PATH: client.env.PATH },
    cwd: paths.home,
    logFile: log,
    // dockerd writes its own --pidfile too; this one is the launcher's.
    pidFile: paths.dockerdLaunchPidfile,
  });
  await waitFor(
    'dockerd',
    120_000,
    () => daemonAnswers(client),
    () => pidAlive(pid),
    log,
  );
  const pids: Record<string, number> = { dockerd: pid };
  // dockerd runs its own containerd; record it so down can stop it if dockerd dies without it.
  // Its pidfile can appear a moment after dockerd first answers (measured under load): wait a little.
  let containerd = readPid(paths.containerdPidfile);
  for (let i = 0; !containerd && paths.instance && i < 40; i++) {
    await new Promise((r) => setTimeout(r, 250));
    containerd = readPid(paths.containerdPidfile);
  }
  if (containerd) pids.containerd = containerd;
  else if (paths.instance) {
    // No containerd of its own: it is on someone else's, which must not happen for a second engine.
    await stopPid('dockerd', pid, paths.home, 30_000);
    throw new UserError(
      `engine instance ${paths.instance}: dockerd started no containerd of its own (no ${paths.containerdPidfile}); see ${log}`,
    );
  }
  return pids;
}

/** Our dockerd, found by its pidfiles, when it is alive and answers on our socket: its PIDs. */
export async function runningDockerd(
  paths: EnginePaths,
  hostPath: string,
): Promise<Record<string, number> | undefined> {
  const dockerd = readPid(paths.pidfile);
  if (!dockerd || !pidAlive(dockerd) || !pidIsOurs(dockerd, paths.home) || !existsSync(paths.socket)) return undefined;
  if (!(await daemonAnswers(managedClient(paths, hostPath)))) return undefined;
  const pids: Record<string, number> = { dockerd };
  const containerd = readPid(paths.containerdPidfile);
  if (containerd && pidAlive(containerd)) pids.containerd = containerd;
  return pids;
}
