// Where the engine keeps everything: one home folder and, inside it, the prefix that Debian's packages
// are extracted into. The binaries the rest of accelbase runs from that prefix are named here, once.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';

export function engineHome(env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.() ?? -1): string {
  const override = env.ACCELBASE_ENGINE_HOME?.trim();
  if (override) return override;
  return uid === 0 ? '/var/cache/accelbase/engine' : join(homedir(), '.cache', 'accelbase', 'engine');
}

/** Inside the prefix: the package versions extracted into it. */
export const STAMP_FILE = '.accelbase-packages';

export interface EnginePaths {
  home: string;
  prefix: string;
  /** Package versions extracted into the prefix; its presence means the prefix is complete. */
  stamp: string;
  aptDir: string;
  sourcesList: string;
  aptLists: string;
  aptCache: string;
  aptStatus: string;
  debs: string;
  daemonJson: string;
  dataRoot: string;
  execRoot: string;
  /** dockerd's own --pidfile. */
  pidfile: string;
  /** The pidfile start-stop-daemon writes for the dockerd it launches. */
  dockerdLaunchPidfile: string;
  /** Where the containerd that dockerd runs records its PID. */
  containerdPidfile: string;
  registryPidfile: string;
  socket: string;
  dockerConfig: string;
  registryConfig: string;
  registryData: string;
  state: string;
  logs: string;
  /** Holds a `runc` link to the host's runc when the prefix's one cannot run. */
  binOverride: string;
}

export function enginePaths(home = engineHome()): EnginePaths {
  const aptDir = join(home, 'apt');
  const execRoot = join(home, 'exec');
  return {
    home,
    prefix: join(home, 'prefix'),
    stamp: join(home, 'prefix', STAMP_FILE),
    aptDir,
    sourcesList: join(aptDir, 'sources.list'),
    aptLists: join(aptDir, 'lists'),
    aptCache: join(aptDir, 'cache'),
    aptStatus: join(aptDir, 'status'),
    debs: join(aptDir, 'debs'),
    daemonJson: join(home, 'daemon.json'),
    dataRoot: join(home, 'data'),
    execRoot,
    pidfile: join(home, 'dockerd.pid'),
    dockerdLaunchPidfile: join(home, 'dockerd.launch.pid'),
    containerdPidfile: join(execRoot, 'containerd', 'containerd.pid'),
    registryPidfile: join(home, 'registry.pid'),
    socket: join(home, 'docker.sock'),
    dockerConfig: join(home, 'docker-config'),
    registryConfig: join(home, 'registry.yml'),
    registryData: join(home, 'registry'),
    state: join(home, 'state.json'),
    logs: join(home, 'logs'),
    binOverride: join(home, 'bin'),
  };
}

/** The DOCKER_HOST of the managed dockerd. */
export function managedDockerHost(paths: Pick<EnginePaths, 'socket'>): string {
  return `unix://${paths.socket}`;
}

const PREFIX_BIN_DIRS = ['usr/sbin', 'usr/bin', 'sbin', 'bin'];

export function prefixPathDirs(prefix: string): string[] {
  return PREFIX_BIN_DIRS.map((d) => join(prefix, d));
}

/** A binary from the prefix, wherever its package put it; a missing one means the prefix is broken. */
export function prefixTool(prefix: string, name: string): string {
  for (const dir of prefixPathDirs(prefix)) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  throw new UserError(`engine prefix ${prefix} has no ${name}; run \`accelbase engine up\` again after removing ${prefix}`);
}

/** The prefix's docker-cli: the managed engine's client, never a stray one on PATH. */
export function prefixDocker(prefix: string): string {
  return join(prefix, 'usr/bin/docker');
}

export function buildxPlugin(prefix: string): string {
  return join(prefix, 'usr/libexec/docker/cli-plugins/docker-buildx');
}

export function qemuAarch64(prefix: string): string {
  return prefixTool(prefix, 'qemu-aarch64-static');
}

export function debootstrapTool(prefix: string): { bin: string; dir: string } {
  return { bin: prefixTool(prefix, 'debootstrap'), dir: join(prefix, 'usr/share/debootstrap') };
}
