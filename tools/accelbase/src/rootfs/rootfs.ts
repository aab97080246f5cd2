// minideb-style root filesystems: debootstrap minbase, trimmed the way bitnami/minideb and debuerreotype
// trim theirs, packed into a tarball that is byte-for-byte the same every time it is built from the same
// suite snapshot (SOURCE_DATE_EPOCH, clamped mtimes, sorted entries, numeric owners, no atime/ctime).
import { existsSync, chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';
import { sha256File, sha256Hex } from '../lib/fs.js';
import { run, tail } from '../exec.js';
import { debug, info } from '../log.js';
import { DEBIAN_KEYRING, debianArch, debootstrapTool, engineHome, ensureBinfmt, provisionEngine } from '../engine/engine.js';
import { debianMirror, readHostAptSources } from '../datasources/debian/mirror.js';

export const ROOTFS_SUITES = ['trixie', 'bookworm', 'bullseye'] as const;
export const ROOTFS_ARCHES = ['amd64', 'arm64'] as const;
export type RootfsSuite = (typeof ROOTFS_SUITES)[number];
export type RootfsArch = (typeof ROOTFS_ARCHES)[number];

export interface BuildRootfsOptions {
  suite: string;
  arch: string;
  outFile: string;
  /** Debian archive URL; default: debianMirror(). */
  mirror?: string;
  /** Debian security archive URL for the image's sources.list; default: the host's; null: none. */
  securityMirror?: string | null;
  /** Default: SOURCE_DATE_EPOCH from the environment, else the suite's Release `Date`. */
  sourceDateEpoch?: number;
  /** Reuse (and keep) the bootstrapped tree under the engine home. Default true; the output is the same either way. */
  cache?: boolean;
  /** Bootstrap afresh even when cached, and replace the cached copy. */
  refresh?: boolean;
  /** Engine home (for the debootstrap prefix and the cache). Default: engineHome(). */
  home?: string;
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
}

// ---------------------------------------------------------------------------------------------
// Pure parts

export function assertSuite(suite: string): RootfsSuite {
  if (!(ROOTFS_SUITES as readonly string[]).includes(suite)) throw new UserError(`rootfs: suite ${suite} is not one of ${ROOTFS_SUITES.join(', ')}`, 2);
  return suite as RootfsSuite;
}

export function assertArch(arch: string): RootfsArch {
  if (!(ROOTFS_ARCHES as readonly string[]).includes(arch)) throw new UserError(`rootfs: arch ${arch} is not one of ${ROOTFS_ARCHES.join(', ')}`, 2);
  return arch as RootfsArch;
}

/** The `Date:` of a Release/InRelease file, as seconds since the epoch. */
export function releaseEpoch(text: string): number | undefined {
  const m = /^Date:\s*(.+)$/m.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(m[1].trim());
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

/**
 * GNU tar arguments for a reproducible archive of `dir`: sorted names, mtimes clamped to the epoch,
 * numeric owners, and pax headers without atime/ctime or the PID that GNU tar puts in their names.
 */
export function tarCreateArgs(dir: string, outFile: string, epoch: number, excludes: readonly string[] = []): string[] {
  return [
    '--create',
    '--file', outFile,
    '--format=posix',
    '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime',
    '--sort=name',
    `--mtime=@${epoch}`,
    '--clamp-mtime',
    '--numeric-owner',
    '--no-acls',
    '--no-xattrs',
    '--no-selinux',
    ...excludes.map((e) => `--exclude=${e}`),
    '--directory', dir,
    '.',
  ];
}

export function tarExtractArgs(tarFile: string, dir: string): string[] {
  return ['--extract', '--file', tarFile, '--directory', dir, '--numeric-owner', '--preserve-permissions', '--same-owner'];
}

/**
 * Left out of the cached bootstrap: kernel filesystems (empty once debootstrap unmounts them) and the
 * downloaded packages.
 */
export const BOOTSTRAP_EXCLUDES = ['./proc/*', './sys/*', './var/cache/apt/archives/*.deb'];

/** Folders emptied (kept, so packages that expect them still find them). */
export const TRIM_EMPTY = [
  'dev',
  'tmp',
  'var/tmp',
  'var/cache/apt',
  'var/lib/apt/lists',
  'usr/share/man',
  'usr/share/info',
  'usr/share/groff',
  'usr/share/lintian',
  'usr/share/linda',
];

/** Files that differ per build or per host and that nothing needs. */
export const TRIM_FILES = [
  'var/cache/ldconfig/aux-cache',
  'var/lib/dbus/machine-id',
  'etc/apt/apt.conf.d/01autoremove-kernels',
  'run/mount/utab',
];

/** In these folders, `*-old` backups that dpkg and debconf leave behind. */
export const TRIM_OLD_IN = ['var/lib/dpkg', 'var/cache/debconf'];

/** Logs: every file goes, the folders (apt/, ...) stay. */
export const TRIM_LOGS = 'var/log';

/** Translations go except these (glibc reads locale.alias). */
export const KEEP_IN_LOCALE = ['locale.alias'];

/**
 * Man section folders recreated empty: some postinst scripts (openjdk's update-alternatives with man
 * slaves) fail when /usr/share/man/man1 is missing.
 */
export const MAN_SECTIONS = ['man1', 'man2', 'man3', 'man4', 'man5', 'man6', 'man7', 'man8'];

/** dpkg path filters so packages installed later stay as trimmed as the base. */
export const DPKG_EXCLUDES = `# accelbase minideb: keep images small; copyright files stay for license compliance.
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/groff/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/lintian/*
path-exclude=/usr/share/linda/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
`;

const APT_CLEAN = '"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true";';

/** apt configuration files written into /etc/apt/apt.conf.d (the docker/debuerreotype set plus no recommends). */
export const APT_CONF: Readonly<Record<string, string>> = {
  'docker-clean': `# Clean apt's caches after every install: they only bloat image layers.
DPkg::Post-Invoke { ${APT_CLEAN} };
APT::Update::Post-Invoke { ${APT_CLEAN} };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
`,
  'docker-gzip-indexes': `# Keep package lists compressed on disk.
Acquire::GzipIndexes "true";
`,
  'docker-no-languages': `# No translated package descriptions.
Acquire::Languages "none";
`,
  'docker-autoremove-suggests': `# Let autoremove drop packages that are only suggested.
Apt::AutoRemove::SuggestsImportant "false";
`,
  'docker-no-recommends': `# minideb: install what was asked for and its dependencies, nothing more.
APT::Install-Recommends "false";
APT::Install-Suggests "false";
`,
};

export const DPKG_SPEEDUP = `# Image builds are thrown away on failure anyway: skip dpkg's fsyncs.
force-unsafe-io
`;

export const POLICY_RC_D = `#!/bin/sh
# Services must not start while packages are installed in an image build.
exit 101
`;

export function sourcesListText(mirror: string, suite: string, securityMirror?: string): string {
  const m = mirror.replace(/\/+$/, '');
  const lines = [`deb ${m} ${suite} main`, `deb ${m} ${suite}-updates main`];
  if (securityMirror) lines.push(`deb ${securityMirror.replace(/\/+$/, '')} ${suite}-security main`);
  return `${lines.join('\n')}\n`;
}

/** The host's Debian security archive, if its apt sources name one. */
export function hostSecurityMirror(aptRoot = '/etc/apt'): string | undefined {
  for (const s of readHostAptSources(aptRoot)) {
    if (!s.types.includes('deb') || !s.suites.some((x) => /-security$/.test(x) || /\/updates$/.test(x))) continue;
    const uri = s.uris.find((u) => /^https?:\/\//.test(u));
    if (uri) return uri.replace(/\/+$/, '');
  }
  return undefined;
}

/** /etc/shadow's "last changed" (days since the epoch) is the build day; clamp it like debuerreotype. */
export function clampShadow(text: string, epoch: number): string {
  const day = Math.floor(epoch / 86400);
  return text
    .split('\n')
    .map((line) => {
      const f = line.split(':');
      if (f.length < 3 || f[2] === '' || !/^\d+$/.test(f[2])) return line;
      if (Number(f[2]) > day) f[2] = String(day);
      return f.join(':');
    })
    .join('\n');
}

export function debootstrapArgs(o: { suite: string; arch: string; mirror: string; target: string }): string[] {
  return ['--variant=minbase', `--arch=${o.arch}`, `--keyring=${DEBIAN_KEYRING}`, '--force-check-gpg', o.suite, o.target, o.mirror.replace(/\/+$/, '')];
}

export function cacheName(o: { suite: string; arch: string; mirror: string; release: number; epoch: number }): string {
  const mirrorId = sha256Hex(o.mirror.replace(/\/+$/, '')).slice(0, 12);
  return `${o.suite}-${o.arch}-${mirrorId}-${o.release}-${o.epoch}.tar`;
}

/** The script installed as /usr/sbin/install_packages (generators/minideb/install_packages). */
export function installPackagesScript(): string {
  // The package runs from src/, dist/ or the bench build: the repository's generators/ is above it.
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const script = join(dir, 'generators', 'minideb', 'install_packages');
    if (existsSync(script)) return script;
  }
  throw new UserError('generators/minideb/install_packages is not above the accelbase package');
}

// ---------------------------------------------------------------------------------------------
// Paths inside the tree: never follow a symlink out of it (debootstrap trees hold absolute links
// such as /var/run -> /run that would point at the host).

/** `root/rel` when no component below root is a symlink; undefined when one is or a component is missing. */
export function insideRoot(root: string, rel: string): string | undefined {
  let cur = root;
  for (const part of rel.split('/').filter(Boolean)) {
    if (part === '..' || part === '.') return undefined;
    cur = join(cur, part);
    let st;
    try {
      st = lstatSync(cur);
    } catch {
      return cur === join(root, rel) ? cur : undefined;
    }
    if (st.isSymbolicLink() && cur !== join(root, rel)) return undefined;
  }
  return cur;
}

function removeInRoot(root: string, rel: string): void {
  const p = insideRoot(root, rel);
  if (p && existsSync(p)) rmSync(p, { recursive: true, force: true });
  else if (p) {
    // A dangling symlink: existsSync follows it.
    try {
      if (lstatSync(p).isSymbolicLink()) rmSync(p, { force: true });
    } catch {
      /* not there */
    }
  }
}

function emptyDirInRoot(root: string, rel: string, keep: readonly string[] = []): void {
  const p = insideRoot(root, rel);
  if (!p) return;
  let st;
  try {
    st = lstatSync(p);
  } catch {
    return;
  }
  if (!st.isDirectory()) return;
  for (const name of readdirSync(p)) if (!keep.includes(name)) rmSync(join(p, name), { recursive: true, force: true });
}

function writeInRoot(root: string, rel: string, content: string, mode = 0o644): void {
  const p = insideRoot(root, rel);
  if (!p) throw new UserError(`rootfs: /${rel} lies behind a symlink in the tree`);
  mkdirSync(dirname(p), { recursive: true });
  rmSync(p, { force: true });
  writeFileSync(p, content, { mode });
  chmodSync(p, mode);
  if (isRoot()) chownSync(p, 0, 0);
}

// Real builds run as root (debootstrap needs it); the unit tests trim a small tree as any user.
const isRoot = () => process.getuid?.() === 0;

function removeFilesBelow(dir: string): void {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = lstatSync(p);
    if (st.isDirectory()) removeFilesBelow(p);
    else rmSync(p, { force: true });
  }
}

/** /usr/share/doc: only per-package copyright files stay (and links between package folders). */
function trimDocs(root: string): void {
  const doc = insideRoot(root, 'usr/share/doc');
  if (!doc || !existsSync(doc) || !lstatSync(doc).isDirectory()) return;
  for (const pkg of readdirSync(doc)) {
    const p = join(doc, pkg);
    const st = lstatSync(p);
    if (!st.isDirectory()) {
      if (!st.isSymbolicLink()) rmSync(p, { force: true });
      continue;
    }
    for (const name of readdirSync(p)) if (name !== 'copyright') rmSync(join(p, name), { recursive: true, force: true });
    if (readdirSync(p).length === 0) rmSync(p, { recursive: true, force: true });
  }
}

/** Everything that makes the tree smaller, host-independent and build-independent. */
export function trimTree(root: string, o: { suite: string; mirror: string; securityMirror?: string; epoch: number; installPackages: string }): void {
  for (const rel of TRIM_EMPTY) emptyDirInRoot(root, rel);
  for (const rel of TRIM_FILES) removeInRoot(root, rel);
  for (const rel of TRIM_OLD_IN) {
    const p = insideRoot(root, rel);
    if (p && existsSync(p)) for (const name of readdirSync(p)) if (name.endsWith('-old')) rmSync(join(p, name), { force: true });
  }
  const logs = insideRoot(root, TRIM_LOGS);
  if (logs && existsSync(logs) && lstatSync(logs).isDirectory()) removeFilesBelow(logs);
  emptyDirInRoot(root, 'usr/share/locale', KEEP_IN_LOCALE);
  trimDocs(root);
  const man = insideRoot(root, 'usr/share/man');
  if (man) for (const s of MAN_SECTIONS) mkdirSync(join(man, s), { recursive: true, mode: 0o755 });

  // Host and run identity: Docker provides these at run time.
  writeInRoot(root, 'etc/hostname', '');
  writeInRoot(root, 'etc/resolv.conf', '');
  writeInRoot(root, 'etc/hosts', '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n');
  const machineId = insideRoot(root, 'etc/machine-id');
  if (machineId && existsSync(machineId)) writeInRoot(root, 'etc/machine-id', '', 0o444);
  for (const rel of ['etc/shadow', 'etc/shadow-']) {
    const p = insideRoot(root, rel);
    if (!p || !existsSync(p) || !lstatSync(p).isFile()) continue;
    const text = readFileSync(p, 'utf8');
    const clamped = clampShadow(text, o.epoch);
    if (clamped !== text) writeFileSync(p, clamped);
  }

  writeInRoot(root, 'etc/apt/sources.list', sourcesListText(o.mirror, o.suite, o.securityMirror));
  for (const [name, text] of Object.entries(APT_CONF)) writeInRoot(root, `etc/apt/apt.conf.d/${name}`, text);
  writeInRoot(root, 'etc/dpkg/dpkg.cfg.d/minideb-excludes', DPKG_EXCLUDES);
  writeInRoot(root, 'etc/dpkg/dpkg.cfg.d/docker-apt-speedup', DPKG_SPEEDUP);
  writeInRoot(root, 'usr/sbin/policy-rc.d', POLICY_RC_D, 0o755);
  writeInRoot(root, 'usr/sbin/install_packages', readFileSync(o.installPackages, 'utf8'), 0o755);

  // debootstrap leaves / as the work folder was created; a tarball's root entry must not depend on that.
  if (isRoot()) chownSync(root, 0, 0);
  chmodSync(root, 0o755);
}

// ---------------------------------------------------------------------------------------------
// Work folders: debootstrap mounts /proc and /sys inside the target; never delete through a mount.

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

async function removeWorkDir(dir: string): Promise<void> {
  for (const m of mountsUnder(dir)) {
    const r = await run('umount', [m], { allowFailure: true });
    if (r.exitCode !== 0) await run('umount', ['--lazy', m], { allowFailure: true });
  }
  const left = mountsUnder(dir);
  if (left.length) throw new UserError(`rootfs: could not unmount ${left.join(', ')}; remove ${dir} by hand`);
  rmSync(dir, { recursive: true, force: true });
}

async function fetchReleaseEpoch(mirror: string, suite: string): Promise<number> {
  const base = mirror.replace(/\/+$/, '');
  for (const name of ['InRelease', 'Release']) {
    try {
      const res = await fetch(`${base}/dists/${suite}/${name}`, { signal: AbortSignal.timeout(60_000) });
      if (!res.ok) continue;
      const epoch = releaseEpoch(await res.text());
      if (epoch !== undefined) return epoch;
    } catch (e) {
      debug(`rootfs: ${base}/dists/${suite}/${name}: ${(e as Error).message}`);
    }
  }
  throw new UserError(`rootfs: no Release date for ${suite} at ${base}/dists/${suite}/ (is the mirror reachable?)`);
}

async function bootstrap(o: { suite: string; arch: string; mirror: string; epoch: number; target: string; home: string }): Promise<void> {
  const prov = await provisionEngine(o.home);
  if (o.arch !== debianArch()) await ensureBinfmt(prov.prefix);
  const { bin, dir } = debootstrapTool(prov.prefix);
  const args = debootstrapArgs(o);
  info(`rootfs: debootstrap --variant=minbase ${o.suite} ${o.arch} (a few minutes${o.arch !== debianArch() ? ', emulated' : ''})`);
  const r = await run(bin, args, {
    env: { DEBOOTSTRAP_DIR: dir, SOURCE_DATE_EPOCH: String(o.epoch), LC_ALL: 'C', DEBIAN_FRONTEND: 'noninteractive' },
    allowFailure: true,
    timeoutMs: 60 * 60_000,
  });
  if (r.exitCode !== 0) {
    let log = '';
    try {
      log = tail(readFileSync(join(o.target, 'debootstrap', 'debootstrap.log'), 'utf8'), 30);
    } catch {
      /* no log */
    }
    throw new UserError(`rootfs: debootstrap ${o.suite} ${o.arch} failed (exit ${r.exitCode})\n${tail(r.stderr || r.stdout, 15)}${log ? `\n--- debootstrap.log ---\n${log}` : ''}`);
  }
}

export async function buildRootfs(opts: BuildRootfsOptions): Promise<RootfsResult> {
  const suite = assertSuite(opts.suite);
  const arch = assertArch(opts.arch);
  if (!isRoot()) throw new UserError('rootfs: building a root filesystem needs root (debootstrap creates device nodes and chroots)');
  const home = opts.home ?? engineHome();
  const mirror = (opts.mirror ?? debianMirror()).replace(/\/+$/, '');
  const securityMirror = opts.securityMirror === null ? undefined : (opts.securityMirror ?? hostSecurityMirror());
  const release = await fetchReleaseEpoch(mirror, suite);
  const fromEnv = process.env.SOURCE_DATE_EPOCH?.trim();
  const epoch = opts.sourceDateEpoch ?? (fromEnv && /^\d+$/.test(fromEnv) ? Number(fromEnv) : release);
  const useCache = opts.cache ?? true;
  const outFile = resolve(opts.outFile);
  if (!outFile.endsWith('.tar')) throw new UserError(`rootfs: ${opts.outFile}: the output is an uncompressed .tar (compression would add timestamps)`, 2);

  const cacheDir = join(home, 'rootfs-cache');
  const workBase = join(home, 'rootfs-work');
  mkdirSync(cacheDir, { recursive: true });
  mkdirSync(workBase, { recursive: true });
  const work = mkdtempSync(join(workBase, `${suite}-${arch}-`));
  const cached = join(cacheDir, cacheName({ suite, arch, mirror, release, epoch }));
  try {
    let baseTar = cached;
    const fromCache = useCache && !opts.refresh && existsSync(cached);
    if (fromCache) {
      info(`rootfs: ${suite} ${arch}: using the cached bootstrap ${cached}`);
    } else {
      const target = join(work, 'bootstrap');
      mkdirSync(target);
      await bootstrap({ suite, arch, mirror, epoch, target, home });
      for (const m of mountsUnder(target)) await run('umount', [m]);
      baseTar = useCache ? `${cached}.${process.pid}.tmp` : join(work, 'bootstrap.tar');
      await run('tar', tarCreateArgs(target, baseTar, epoch, BOOTSTRAP_EXCLUDES), { env: { LC_ALL: 'C' } });
      if (useCache) {
        renameSync(baseTar, cached);
        baseTar = cached;
      }
      await removeWorkDir(target);
    }
    const untrimmedBytes = statSync(baseTar).size;

    // Both paths trim a tree extracted from the same kind of tarball, so a cached and a fresh build agree.
    const root = join(work, 'root');
    mkdirSync(root);
    await run('tar', tarExtractArgs(baseTar, root), { env: { LC_ALL: 'C' } });
    trimTree(root, { suite, mirror, securityMirror, epoch, installPackages: installPackagesScript() });

    mkdirSync(dirname(outFile), { recursive: true });
    const tmpOut = `${outFile}.${process.pid}.tmp`;
    await run('tar', tarCreateArgs(root, tmpOut, epoch), { env: { LC_ALL: 'C' } });
    renameSync(tmpOut, outFile);
    const bytes = statSync(outFile).size;
    const sha256 = await sha256File(outFile);
    info(`rootfs: ${suite} ${arch}: ${outFile} ${(bytes / 1e6).toFixed(1)} MB (untrimmed ${(untrimmedBytes / 1e6).toFixed(1)} MB) sha256:${sha256}`);
    return { path: outFile, sha256, bytes, sourceDateEpoch: epoch, untrimmedBytes, fromCache };
  } finally {
    await removeWorkDir(work);
  }
}

