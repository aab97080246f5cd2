// The package cache every build fetches Debian packages through: Debian's apt-cacher-ng from the
// prefix, on loopback only, as a plain caching proxy (no remapping: requests go to the mirror they
// name). Builds reach it through the proxy build args, which BuildKit keeps out of cache keys and
// image history, so an image is the same with or without it; one that does not answer is skipped.
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { info, warn } from '../log.js';
import { launchDaemon, pidAlive, waitFor } from './daemon.js';
import { prefixTool, type EnginePaths } from './paths.js';

export const PACKAGE_CACHE_PORT = 3142;
export const PACKAGE_CACHE_URL = `http://127.0.0.1:${PACKAGE_CACHE_PORT}`;

export function packageCacheConfigText(o: {
  cacheDir: string;
  logDir: string;
  supportDir: string;
  port?: number;
}): string {
  return [
    "# accelbase: a caching proxy on loopback for the engine's builds.",
    `CacheDir: ${o.cacheDir}`,
    `LogDir: ${o.logDir}`,
    `SupportDir: ${o.supportDir}`,
    `Port: ${o.port ?? PACKAGE_CACHE_PORT}`,
    'BindAddress: 127.0.0.1',
    'ForeGround: 1',
    'ExThreshold: 4',
    '',
  ].join('\n');
}

/** Whether something accepts connections at an http://host:port URL (a proxy need not answer GET /). */
export function proxyAnswers(url: string, timeoutMs = 1500): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: u.hostname, port: Number(u.port || 80), timeout: timeoutMs });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** The prefix's shared libraries that apt-cacher-ng needs and a bare host may lack. */
const libraryPath = (prefix: string) =>
  ['usr/lib/x86_64-linux-gnu', 'usr/lib/aarch64-linux-gnu', 'lib/x86_64-linux-gnu', 'lib/aarch64-linux-gnu']
    .map((d) => join(prefix, d))
    .join(':');

/** Launch apt-cacher-ng from the prefix with its own configuration, cache and pidfile; its PID once it listens. */
export async function launchPackageCache(o: {
  prefix: string;
  configDir: string;
  dataDir: string;
  logDir: string;
  pidFile: string;
  cwd: string;
  port?: number;
}): Promise<number> {
  for (const d of [o.configDir, o.dataDir, o.logDir]) mkdirSync(d, { recursive: true });
  const supportDir = join(o.prefix, 'usr/lib/apt-cacher-ng');
  writeFileSync(
    join(o.configDir, 'acng.conf'),
    packageCacheConfigText({ cacheDir: o.dataDir, logDir: o.logDir, supportDir, port: o.port }),
  );
  const log = join(o.logDir, 'daemon.log');
  const pid = await launchDaemon(prefixTool(o.prefix, 'apt-cacher-ng'), ['-c', o.configDir], {
    cwd: o.cwd,
    logFile: log,
    pidFile: o.pidFile,
    env: { LD_LIBRARY_PATH: libraryPath(o.prefix) },
  });
  await waitFor(
    'apt-cacher-ng',
    15_000,
    () => proxyAnswers(`http://127.0.0.1:${o.port ?? PACKAGE_CACHE_PORT}`),
    () => pidAlive(pid),
    log,
  );
  return pid;
}

/**
 * Start apt-cacher-ng unless something listens on its port (then that is used as it is). Never fails
 * `engine up`: builds fetch from the mirror directly when the cache is not there.
 */
export async function startPackageCache(paths: EnginePaths): Promise<{ url: string; pid?: number }> {
  const url = PACKAGE_CACHE_URL;
  if (await proxyAnswers(url)) {
    info(`engine: something already listens at ${url}; builds use it as their package cache`);
    return { url };
  }
  try {
    const pid = await launchPackageCache({
      prefix: paths.prefix,
      configDir: paths.packageCacheConfig,
      dataDir: paths.packageCacheData,
      logDir: join(paths.logs, 'apt-cacher-ng'),
      pidFile: paths.packageCachePidfile,
      cwd: paths.shared,
    });
    info(`engine: started apt-cacher-ng (pid ${pid}) at ${url}`);
    return { url, pid };
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    warn(
      `engine: the package cache did not start (${e.message.split('\n')[0]}); builds fetch packages from the mirror directly`,
    );
    return { url };
  }
}

/**
 * The proxy builds fetch packages through: ACCELBASE_APT_PROXY (an http:// URL, or `off`), else the
 * engine's package cache; undefined, with a warning, when it does not answer.
 */
export async function resolveAptProxy(asked: string | undefined): Promise<string | undefined> {
  if (asked === 'off') return undefined;
  const url = asked || PACKAGE_CACHE_URL;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(`ACCELBASE_APT_PROXY: ${JSON.stringify(url)} is not a URL (http://host:port, or off)`, 2);
  }
  if (parsed.protocol !== 'http:' || !parsed.port || parsed.pathname !== '/' || parsed.search || parsed.username) {
    throw new UserError(`ACCELBASE_APT_PROXY: ${JSON.stringify(url)} is not http://host:port (or off)`, 2);
  }
  const origin = parsed.origin;
  if (await proxyAnswers(origin)) return origin;
  warn(`package proxy ${origin} does not answer; fetching packages from the mirror directly`);
  return undefined;
}

/** What a build, debootstrap and apt in a tree are given to use the proxy; local servers bypass it. */
export function proxyEnv(proxy: string | undefined): Record<string, string> {
  return proxy ? { http_proxy: proxy, no_proxy: '127.0.0.1,localhost' } : {};
}
