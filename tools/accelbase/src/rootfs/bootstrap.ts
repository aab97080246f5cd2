// minideb-style root filesystems: debootstrap minbase plus every -updates and -security upgrade (cached
// per archive snapshot), trimmed, packed into a tarball that is byte-for-byte the same every time it is
// built from the same archive snapshot (SOURCE_DATE_EPOCH, clamped mtimes, sorted entries, numeric owners).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { RunConfig } from '../config/run-config.js';
import { UserError } from '../errors.js';
import { sha256File } from '../lib/fs.js';
import { run, tail } from '../exec.js';
import { info } from '../log.js';
import { ensureBinfmt } from '../engine/binfmt.js';
import { debianArch } from '../engine/host.js';
import { debootstrapTool } from '../engine/paths.js';
import { proxyEnv, resolveAptProxy } from '../engine/package-cache.js';
import { provisionEngine } from '../engine/provision.js';
import {
  debianKeyring,
  debianMirror,
  debianSecurityMirror,
  HOST_DEBIAN_KEYRING,
} from '../datasources/debian/mirror.js';
import { chooseEpoch } from './epoch.js';
import { cacheName, installPackagesScript, rootfsCacheDir, rootfsWorkDir } from './paths.js';
import { createTar, extractTar } from './tar.js';
import { isRoot } from './tree.js';
import { purgeLeftOut } from './purge.js';
import { trimTree, type TrimStep } from './trim.js';
import { updateSources } from '../datasources/debian/suites.js';
import { applyUpdates, newestReleaseEpoch } from './updates.js';

export const ROOTFS_SUITES = ['trixie', 'bookworm', 'bullseye'] as const;
export const ROOTFS_ARCHES = ['amd64', 'arm64'] as const;
export type RootfsSuite = (typeof ROOTFS_SUITES)[number];
export type RootfsArch = (typeof ROOTFS_ARCHES)[number];

export interface BuildRootfsOptions {
  suite: string;
  arch: string;
  outFile: string;
  /** The run's settings: the mirrors, keyring, package proxy, SOURCE_DATE_EPOCH and engine home that the defaults below come from. */
  config: RunConfig;
  /** Debian archive URL; default: the config's ACCELBASE_DEBIAN_MIRROR, else the host's apt sources (debianMirror). */
  mirror?: string;
  /** Debian security archive URL for the image's sources.list; default: the config's ACCELBASE_DEBIAN_SECURITY_MIRROR, else the host's; null: none. */
  securityMirror?: string | null;
  /** Default: SOURCE_DATE_EPOCH (the config's), else the newest `Date` of the suite's, -updates' and -security's Release files. */
  sourceDateEpoch?: number;
  /** Reuse (and keep) the bootstrapped tree under the engine home. Default true; the output is the same either way. */
  cache?: boolean;
  /** Bootstrap afresh even when cached, and replace the cached copy. */
  refresh?: boolean;
  /** The archive keyring debootstrap and apt verify with; default: the config's ACCELBASE_DEBIAN_KEYRING, else the host's (debianKeyring). One other than the host's is also trusted by apt in the tree. */
  keyring?: string;
  /** Engine home (for the debootstrap prefix and the cache). Default: the default engine's, which instances share. */
  home?: string;
  /** The package proxy debootstrap and apt fetch through; default: the config's ACCELBASE_APT_PROXY, else the package cache (resolveAptProxy); null: none. The tarball is the same either way. */
  aptProxy?: string | null;
}

export interface RootfsResult {
  path: string;
  sha256: string;
  bytes: number;
  sourceDateEpoch: number;
  /** Size of the untrimmed minbase tree as a tarball (without downloaded .debs). */
  untrimmedBytes: number;
  /** True when the bootstrap came from the cache. */
  fromCache: boolean;
  /** What each trimming step took out of the tarball, in order. */
  trimSteps: TrimStep[];
}

export function assertSuite(suite: string): RootfsSuite {
  if (!(ROOTFS_SUITES as readonly string[]).includes(suite))
    throw new UserError(`rootfs: suite ${suite} is not one of ${ROOTFS_SUITES.join(', ')}`, 2);
  return suite as RootfsSuite;
}

export function assertArch(arch: string): RootfsArch {
  if (!(ROOTFS_ARCHES as readonly string[]).includes(arch))
    throw new UserError(`rootfs: arch ${arch} is not one of ${ROOTFS_ARCHES.join(', ')}`, 2);
  return arch as RootfsArch;
}

/**
 * Left out of the cached bootstrap: kernel filesystems (empty once debootstrap unmounts them) and the
 * downloaded packages.
 */
export const BOOTSTRAP_EXCLUDES = ['./proc/*', './sys/*', './var/cache/apt/archives/*.deb'];

export function debootstrapArgs(o: {
  suite: string;
  arch: string;
  mirror: string;
  target: string;
  keyring: string;
}): string[] {
  return [
    '--variant=minbase',
    `--arch=${o.arch}`,
    `--keyring=${o.keyring}`,
    '--force-check-gpg',
    o.suite,
    o.target,
    o.mirror.replace(/\/+$/, ''),
  ];
}

/** Mount points at or below `dir`, deepest first (the order to unmount them in). */
export function mountsUnder(dir: string, mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')): string[] {
  const base = resolve(dir);
  const decode = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return mountinfo
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((m): m is string => Boolean(m))
    .map(decode)
    .filter((m) => m === base || m.startsWith(base + sep))
    .sort((a, b) => b.length - a.length);
}

/** debootstrap mounts /proc and /sys inside the target: unmount before deleting, never delete through a mount. */
async function removeWorkDir(dir: string): Promise<void> {
  for (const m of mountsUnder(dir)) {
    const r = await run('umount', [m], { allowFailure: true });
    if (r.exitCode !== 0) await run('umount', ['--lazy', m], { allowFailure: true });
  }
  const left = mountsUnder(dir);
  if (left.length) throw new UserError(`rootfs: could not unmount ${left.join(', ')}; remove ${dir} by hand`);
  rmSync(dir, { recursive: true, force: true });
}

async function debootstrap(o: {
  suite: string;
  arch: string;
  mirror: string;
  keyring: string;
  epoch: number;
  target: string;
  home: string;
  /** The run config's ACCELBASE_DEBIAN_MIRROR, which the engine prefix is provisioned from. */
  engineMirror: string | undefined;
  aptProxy?: string;
}): Promise<void> {
  const prov = await provisionEngine(o.home, o.engineMirror);
  const emulated = o.arch !== debianArch();
  if (emulated) await ensureBinfmt(prov.prefix);
  const { bin, dir } = debootstrapTool(prov.prefix);
  info(`rootfs: debootstrap --variant=minbase ${o.suite} ${o.arch} (a few minutes${emulated ? ', emulated' : ''})`);
  const r = await run(bin, debootstrapArgs(o), {
    env: {
      DEBOOTSTRAP_DIR: dir,
      SOURCE_DATE_EPOCH: String(o.epoch),
      LC_ALL: 'C',
      DEBIAN_FRONTEND: 'noninteractive',
      ...proxyEnv(o.aptProxy),
    },
    allowFailure: true,
    timeoutMs: 60 * 60_000,
  });
  if (r.exitCode === 0) return;
  let log = '';
  try {
    log = tail(readFileSync(join(o.target, 'debootstrap', 'debootstrap.log'), 'utf8'), 30);
  } catch {
    /* no log */
  }
  throw new UserError(
    `rootfs: debootstrap ${o.suite} ${o.arch} failed (exit ${r.exitCode})\n${tail(r.stderr || r.stdout, 15)}${log ? `\n--- debootstrap.log ---\n${log}` : ''}`,
  );
}

interface BootstrapPlan {
  suite: string;
  arch: string;
  mirror: string;
  securityMirror?: string;
  keyring: string;
  epoch: number;
  home: string;
  engineMirror: string | undefined;
  work: string;
  /** The cache file for this suite snapshot. */
  cached: string;
  useCache: boolean;
  refresh: boolean;
  aptProxy?: string;
}

/** The untrimmed minbase tree as a tarball: the cached one, or a fresh debootstrap (cached unless told not to). */
async function bootstrapTarball(p: BootstrapPlan): Promise<{ baseTar: string; fromCache: boolean }> {
  if (p.useCache && !p.refresh && existsSync(p.cached)) {
    info(`rootfs: ${p.suite} ${p.arch}: using the cached bootstrap ${p.cached}`);
    return { baseTar: p.cached, fromCache: true };
  }
  const target = join(p.work, 'bootstrap');
  mkdirSync(target);
  await debootstrap({
    suite: p.suite,
    arch: p.arch,
    mirror: p.mirror,
    keyring: p.keyring,
    epoch: p.epoch,
    target,
    home: p.home,
    engineMirror: p.engineMirror,
    aptProxy: p.aptProxy,
  });
  for (const m of mountsUnder(target)) await run('umount', [m]);
  const trust = p.keyring === HOST_DEBIAN_KEYRING ? undefined : readFileSync(p.keyring);
  await applyUpdates(target, {
    suite: p.suite,
    mirror: p.mirror,
    securityMirror: p.securityMirror,
    epoch: p.epoch,
    trust,
    aptProxy: p.aptProxy,
  });
  let baseTar = p.useCache ? `${p.cached}.${process.pid}.tmp` : join(p.work, 'bootstrap.tar');
  await createTar(target, baseTar, p.epoch, BOOTSTRAP_EXCLUDES);
  if (p.useCache) {
    renameSync(baseTar, p.cached);
    baseTar = p.cached;
  }
  await removeWorkDir(target);
  return { baseTar, fromCache: false };
}

export async function buildRootfs(opts: BuildRootfsOptions): Promise<RootfsResult> {
  const suite = assertSuite(opts.suite);
  const arch = assertArch(opts.arch);
  if (!isRoot())
    throw new UserError('rootfs: building a root filesystem needs root (debootstrap creates device nodes and chroots)');
  const { config } = opts;
  const home = opts.home ?? config.engineBaseHome;
  const mirror = (opts.mirror ?? debianMirror(config.debianMirror)).replace(/\/+$/, '');
  const securityMirror =
    opts.securityMirror === null
      ? undefined
      : (opts.securityMirror ?? debianSecurityMirror(config.debianSecurityMirror));
  const keyring = opts.keyring ?? debianKeyring(config.debianKeyring);
  const release = await newestReleaseEpoch(updateSources(mirror, suite, securityMirror));
  const epoch = chooseEpoch(opts.sourceDateEpoch, release, config.sourceDateEpoch);
  const outFile = resolve(opts.outFile);
  if (!outFile.endsWith('.tar'))
    throw new UserError(
      `rootfs: ${opts.outFile}: the output is an uncompressed .tar (compression would add timestamps)`,
      2,
    );

  const cacheDir = rootfsCacheDir(home);
  const workBase = rootfsWorkDir(home);
  mkdirSync(cacheDir, { recursive: true });
  mkdirSync(workBase, { recursive: true });
  const work = mkdtempSync(join(workBase, `${suite}-${arch}-`));
  // Another keyring puts its keys in the tree: it is part of what the cached bootstrap holds.
  const keyringId = keyring === HOST_DEBIAN_KEYRING ? '' : ` ${await sha256File(keyring)}`;
  const cached = join(
    cacheDir,
    cacheName({
      suite,
      arch,
      mirror: `${mirror}${securityMirror ? ` ${securityMirror}` : ''}${keyringId}`,
      release,
      epoch,
    }),
  );
  try {
    const useCache = opts.cache ?? true;
    const refresh = opts.refresh ?? false;
    const fetches = !(useCache && !refresh && existsSync(cached));
    const aptProxy = fetches
      ? opts.aptProxy === undefined
        ? await resolveAptProxy(config.aptProxy)
        : (opts.aptProxy ?? undefined)
      : undefined;
    const { baseTar, fromCache } = await bootstrapTarball({
      suite,
      arch,
      mirror,
      securityMirror,
      keyring,
      epoch,
      home,
      engineMirror: config.debianMirror,
      work,
      cached,
      useCache,
      refresh,
      aptProxy,
    });
    const untrimmedBytes = statSync(baseTar).size;

    // Both paths trim a tree extracted from the same kind of tarball, so a cached and a fresh build agree.
    const root = join(work, 'root');
    mkdirSync(root);
    await extractTar(baseTar, root);
    // dpkg runs in the tree: an arm64 tree needs qemu's binfmt even when its bootstrap came from the cache.
    if (arch !== debianArch()) await ensureBinfmt((await provisionEngine(home, config.debianMirror)).prefix);
    const trimSteps = await purgeLeftOut(root, epoch);
    trimSteps.push(
      ...trimTree(root, { suite, mirror, securityMirror, epoch, installPackages: installPackagesScript() }),
    );

    mkdirSync(dirname(outFile), { recursive: true });
    const tmpOut = `${outFile}.${process.pid}.tmp`;
    await createTar(root, tmpOut, epoch);
    renameSync(tmpOut, outFile);
    const bytes = statSync(outFile).size;
    const sha256 = await sha256File(outFile);
    info(
      `rootfs: ${suite} ${arch}: ${outFile} ${(bytes / 1e6).toFixed(1)} MB (untrimmed ${(untrimmedBytes / 1e6).toFixed(1)} MB) sha256:${sha256}`,
    );
    return { path: outFile, sha256, bytes, sourceDateEpoch: epoch, untrimmedBytes, fromCache, trimSteps };
  } finally {
    await removeWorkDir(work);
  }
}
