// The run config: every setting a command takes from its flags and the environment, resolved once
// (cli/main.ts) and passed down. This module is the only reader of the environment; everything below
// the CLI gets the resolved values, so a test builds a config instead of setting process.env.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BUILDER_NAME, CACHE_MODES, type CacheMode, type Provenance } from './buildx.js';
import { instanceHome, instanceName } from './engine-instance.js';
import { UserError } from '../errors.js';
import type { LogLevel } from '../log.js';
import type { Reporter } from '../reporter.js';

/** The flags that override an environment variable (the rest stay with the command). */
export interface RunFlags {
  registry?: string;
  instance?: string;
  builder?: string;
  cache?: string;
  debug?: boolean;
  quiet?: boolean;
  json?: boolean;
}

/** The environment, as process.env gives it (tests pass a plain object). */
export type RunEnv = Readonly<Record<string, string | undefined>>;

/** What the resolver needs of the host besides the environment (tests pass their own). */
export interface RunHost {
  uid: number;
  home: string;
}

export interface RunConfig {
  /** `--registry`, else ACCELBASE_REGISTRY: the namespace images are planned under; undefined: the catalog's. */
  readonly registry: string | undefined;
  /** `--instance`, else ACCELBASE_INSTANCE: another engine instance; undefined for the default engine. */
  readonly instance: string | undefined;
  /** The default engine's home (ACCELBASE_ENGINE_HOME, else a per-user or root cache folder). */
  readonly engineBaseHome: string;
  /** The home of the engine commands use: the instance's, else the base home. */
  readonly engineHome: string;
  /** `--builder`, else ACCELBASE_BUILDER, else undefined (buildx's current builder). */
  readonly builder: string | undefined;
  /** `--cache`, else ACCELBASE_CACHE, else undefined (registry when pushing, none otherwise). */
  readonly cacheMode: CacheMode | undefined;
  /** ACCELBASE_PROVENANCE: buildx's provenance attestation; `false` keeps index digests reproducible. */
  readonly provenance: Provenance;
  /** ACCELBASE_DEBIAN_MIRROR; undefined: the host's apt sources name it. */
  readonly debianMirror: string | undefined;
  /** ACCELBASE_DEBIAN_SECURITY_MIRROR; undefined: the host's apt sources. */
  readonly debianSecurityMirror: string | undefined;
  /** ACCELBASE_DEBIAN_KEYRING as given; undefined: the host's debian-archive-keyring. */
  readonly debianKeyring: string | undefined;
  /** ACCELBASE_APT_PROXY as given (an http:// URL or `off`, checked where it is used); undefined: the engine's package cache. */
  readonly aptProxy: string | undefined;
  /** ACCELBASE_OFFLINE=1: tests that need the network skip themselves. */
  readonly offline: boolean;
  /** `--debug`, `--quiet` (`--json` keeps progress), else ACCELBASE_LOG (debug, info or quiet), else info. */
  readonly logLevel: LogLevel;
  /** SOURCE_DATE_EPOCH when it is whole seconds; it wins over a rootfs's Release date. */
  readonly sourceDateEpoch: number | undefined;
  /** The host's PATH, which engine clients append to the prefix's directories. */
  readonly path: string;
  /** DOCKER_HOST: an engine `engine up` adopts instead of starting its own. */
  readonly dockerHost: string | undefined;
  /** XDG_CACHE_HOME, else ~/.cache: where downloaded archive indexes are kept. */
  readonly cacheHome: string;
  /** ACCELBASE_SIGNING_KEY: a cosign key file or KMS URI (or `keyless` in CI) that signs pushed indexes; undefined: nothing is signed. */
  readonly signingKey: string | undefined;
}

const DEFAULT_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'quiet'];

const defaultHost = (): RunHost => ({ uid: process.getuid?.() ?? -1, home: homedir() });

/** ACCELBASE_ENGINE_HOME, else root's system cache or the user's own. */
function baseEngineHome(env: RunEnv, host: RunHost): string {
  const override = env.ACCELBASE_ENGINE_HOME?.trim();
  if (override) return override;
  return host.uid === 0 ? '/var/cache/accelbase/engine' : join(host.home, '.cache', 'accelbase', 'engine');
}

/** ACCELBASE_BUILDER: a buildx builder for every build (the flag wins). */
function envBuilder(env: RunEnv): string | undefined {
  const v = env.ACCELBASE_BUILDER?.trim();
  if (!v) return undefined;
  if (!BUILDER_NAME.test(v)) throw new UserError(`ACCELBASE_BUILDER=${v.slice(0, 80)}: not a buildx builder name`, 2);
  return v;
}

/** ACCELBASE_CACHE=registry|local|none (the flag wins). */
function envCacheMode(env: RunEnv): CacheMode | undefined {
  const v = env.ACCELBASE_CACHE?.trim();
  if (!v) return undefined;
  if (!(CACHE_MODES as readonly string[]).includes(v))
    throw new UserError(`ACCELBASE_CACHE=${v.slice(0, 80)}: expected ${CACHE_MODES.join(', ')}`, 2);
  return v as CacheMode;
}

/** ACCELBASE_PROVENANCE=min|max adds buildx's provenance attestation; the default (false) keeps the index digest reproducible. */
function envProvenance(env: RunEnv): Provenance {
  const v = env.ACCELBASE_PROVENANCE?.trim() || 'false';
  if (v === 'false' || v === 'min' || v === 'max') return v;
  throw new UserError(`ACCELBASE_PROVENANCE=${v}: expected false, min or max`, 2);
}

function logLevel(flags: RunFlags, env: RunEnv): LogLevel {
  if (flags.debug) return 'debug';
  if (flags.quiet) return 'quiet';
  if (flags.json) return 'info';
  const asked = env.ACCELBASE_LOG as LogLevel | undefined;
  // Anything else logged as info did before (only `debug` and `quiet` were ever looked for).
  return asked && LOG_LEVELS.includes(asked) ? asked : 'info';
}

const given = (v: string | undefined) => v?.trim() || undefined;

/** Every setting of this run, from its flags and the environment; throws UserError for an invalid value. */
export function resolveRunConfig(flags: RunFlags, env: RunEnv, host: RunHost = defaultHost()): RunConfig {
  // ACCELBASE_REGISTRY lets CI (and Nx targets) set the namespace for every command at once; it is
  // checked where the workspace is opened (workflows/namespace.ts), as --registry is by parse.
  const registry = flags.registry ?? (env.ACCELBASE_REGISTRY || undefined);
  const instance =
    flags.instance !== undefined
      ? instanceName(flags.instance)
      : instanceName(env.ACCELBASE_INSTANCE, 'ACCELBASE_INSTANCE');
  const engineBaseHome = baseEngineHome(env, host);
  const epoch = env.SOURCE_DATE_EPOCH?.trim();
  return Object.freeze({
    registry,
    instance,
    engineBaseHome,
    engineHome: instance ? instanceHome(engineBaseHome, instance) : engineBaseHome,
    builder: flags.builder ?? envBuilder(env),
    cacheMode: (flags.cache as CacheMode | undefined) ?? envCacheMode(env),
    provenance: envProvenance(env),
    debianMirror: given(env.ACCELBASE_DEBIAN_MIRROR),
    debianSecurityMirror: given(env.ACCELBASE_DEBIAN_SECURITY_MIRROR),
    debianKeyring: given(env.ACCELBASE_DEBIAN_KEYRING),
    aptProxy: given(env.ACCELBASE_APT_PROXY),
    offline: env.ACCELBASE_OFFLINE === '1',
    logLevel: logLevel(flags, env),
    sourceDateEpoch: epoch && /^\d+$/.test(epoch) ? Number(epoch) : undefined,
    path: env.PATH ?? DEFAULT_PATH,
    dockerHost: env.DOCKER_HOST?.trim() || undefined,
    cacheHome: env.XDG_CACHE_HOME ?? join(host.home, '.cache'),
    signingKey: env.ACCELBASE_SIGNING_KEY || undefined,
  });
}

/** What a workflow is given: the run config, and where to report progress (it never prints). */
export interface Run {
  readonly config: RunConfig;
  readonly reporter: Reporter;
}
