// Where the engine keeps everything: one home folder and, inside it, the prefix that Debian's packages
// are extracted into. The binaries the rest of accelbase runs from that prefix are named here, once.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { INSTANCE_NAME, INSTANCES_DIR } from '../config/engine-instance.js';
import { UserError } from '../errors.js';

/** The instance a home belongs to; undefined for a base home. */
export function homeInstance(home: string): string | undefined {
  return basename(dirname(home)) === INSTANCES_DIR && INSTANCE_NAME.test(basename(home)) ? basename(home) : undefined;
}

/** The base home whose prefix and registry `home` uses: itself, or the one an instance lives in. */
export function sharedHome(home: string): string {
  return homeInstance(home) ? dirname(dirname(home)) : home;
}

/**
 * Whether a command-line argument names a file of this home's own (PIDs get reused, and an instance's
 * dockerd runs the base home's prefix binary from under the base home): under `home`, but neither
 * in the shared prefix nor in another instance's folder.
 */
export function argOfHome(arg: string, home: string): boolean {
  const at = arg.indexOf(`${home}/`);
  if (at < 0 || (at > 0 && arg[at - 1] !== '=')) return false;
  const rest = arg.slice(at + home.length + 1);
  return !rest.startsWith('prefix/') && !rest.startsWith(`${INSTANCES_DIR}/`);
}

/** Inside the prefix: the package versions extracted into it. */
export const STAMP_FILE = '.accelbase-packages';

export interface EnginePaths {
  home: string;
  /** Set for an instance: another dockerd beside the default one, sharing its prefix and registry. */
  instance?: string;
  /** The base home (the home itself unless this is an instance). */
  shared: string;
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
  /** apt-cacher-ng's configuration folder, cache and pidfile: shared by every instance, as the registry is. */
  packageCacheConfig: string;
  packageCacheData: string;
  packageCachePidfile: string;
  state: string;
  logs: string;
  /** Holds a `runc` link to the host's runc when the prefix's one cannot run. */
  binOverride: string;
}

export function enginePaths(home: string): EnginePaths {
  // Shared by every instance: the prefix and its apt state, the registry.
  const shared = sharedHome(home);
  const instance = homeInstance(home);
  const aptDir = join(shared, 'apt');
  const execRoot = join(home, 'exec');
  return {
    home,
    ...(instance ? { instance } : {}),
    shared,
    prefix: join(shared, 'prefix'),
    stamp: join(shared, 'prefix', STAMP_FILE),
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
    registryPidfile: join(shared, 'registry.pid'),
    socket: join(home, 'docker.sock'),
    dockerConfig: join(home, 'docker-config'),
    registryConfig: join(shared, 'registry.yml'),
    registryData: join(shared, 'registry'),
    packageCacheConfig: join(shared, 'apt-cacher-ng', 'conf'),
    packageCacheData: join(shared, 'apt-cacher-ng', 'cache'),
    packageCachePidfile: join(shared, 'apt-cacher-ng.pid'),
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
  throw new UserError(
    `engine prefix ${prefix} has no ${name}; run \`accelbase engine up\` again after removing ${prefix}`,
  );
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
