// The build engine: dockerd + buildx + a local registry, made from Debian packages extracted into a
// private prefix so the host's package state is never touched. `accelbase engine up|down|status`.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, lstatSync, unlinkSync, writeFileSync, readlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import semver from 'semver';
import { UserError } from '../errors.js';
import { run, tail } from '../exec.js';
import { info } from '../log.js';
import { debianMirror } from '../datasources/debian/mirror.js';

/** buildx older than this lacks bake features the builder relies on (e.g. the `network` key). */
export const MIN_BUILDX = '0.14.0';
export const REGISTRY_ADDR = '127.0.0.1:5000';
export const DEBIAN_KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

/**
 * Which suite each part comes from. trixie's dockerd/containerd need only libc >= 2.34 so they run on
 * bookworm; buildx must come from forky because trixie's 0.13 lacks bake's `network` key; trixie's runc
 * needs libc 2.38, so runc and the tools come from bookworm (the host's suite).
 */
export const ENGINE_PACKAGES: readonly { suite: string; packages: readonly string[] }[] = [
  { suite: 'trixie', packages: ['docker.io', 'docker-cli', 'containerd'] },
  { suite: 'forky', packages: ['docker-buildx'] },
  { suite: 'bookworm', packages: ['runc', 'tini', 'qemu-user-static', 'binfmt-support', 'debootstrap', 'docker-registry'] },
];

/** dockerd must never create a bridge, touch iptables or allocate private-range addresses. */
export const DAEMON_CONFIG = {
  features: { 'containerd-snapshotter': true },
  bridge: 'none',
  iptables: false,
  'ip-masq': false,
  ip6tables: false,
} as const;

export function daemonJson(): string {
  return `${JSON.stringify(DAEMON_CONFIG)}\n`;
}

export function engineHome(env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.() ?? -1): string {
  const override = env.ACCELBASE_ENGINE_HOME?.trim();
  if (override) return override;
  return uid === 0 ? '/var/cache/accelbase/engine' : join(homedir(), '.cache', 'accelbase', 'engine');
}

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
  pidfile: string;
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
  return {
    home,
    prefix: join(home, 'prefix'),
    stamp: join(home, 'prefix', '.accelbase-packages'),
    aptDir,
    sourcesList: join(aptDir, 'sources.list'),
    aptLists: join(aptDir, 'lists'),
    aptCache: join(aptDir, 'cache'),
    aptStatus: join(aptDir, 'status'),
    debs: join(aptDir, 'debs'),
    daemonJson: join(home, 'daemon.json'),
    dataRoot: join(home, 'data'),
    execRoot: join(home, 'exec'),
    pidfile: join(home, 'dockerd.pid'),
    socket: join(home, 'docker.sock'),
    dockerConfig: join(home, 'docker-config'),
    registryConfig: join(home, 'registry.yml'),
    registryData: join(home, 'registry'),
    state: join(home, 'state.json'),
    logs: join(home, 'logs'),
    binOverride: join(home, 'bin'),
  };
}

// ---------------------------------------------------------------------------------------------
// Pure parts: apt configuration, stamp, versions, state file

/** One-line sources, signed by the host's Debian keyring, one line per suite the parts come from. */
export function aptSourcesText(mirror: string, plan = ENGINE_PACKAGES): string {
  const lines = ['# accelbase engine: private apt sources, never read by the host apt'];
  for (const suite of [...new Set(plan.map((p) => p.suite))]) {
    lines.push(`deb [signed-by=${DEBIAN_KEYRING}] ${mirror.replace(/\/+$/, '')} ${suite} main`);
  }
  return `${lines.join('\n')}\n`;
}

/** `-o` options that point apt at the engine folder only: its own sources, lists, cache and status. */
export function aptOptions(paths: Pick<EnginePaths, 'sourcesList' | 'aptLists' | 'aptCache' | 'aptStatus'>, arch: string): string[] {
  const opts: Record<string, string> = {
    'Dir::Etc::sourcelist': paths.sourcesList,
    'Dir::Etc::sourceparts': '-',
    // The host's pinning must not pick versions for us.
    'Dir::Etc::preferences': '-',
    'Dir::Etc::preferencesparts': '-',
    'Dir::State::Lists': paths.aptLists,
    'Dir::State::status': paths.aptStatus,
    'Dir::Cache': paths.aptCache,
    'APT::Architecture': arch,
    'APT::Architectures': arch,
    'Acquire::Languages': 'none',
    // Files land in folders root owns; the _apt sandbox user could not write them and apt would warn.
    'APT::Sandbox::User': 'root',
  };
  return Object.entries(opts).flatMap(([k, v]) => ['-o', `${k}=${v}`]);
}

/** `pkg/suite` arguments for `apt-get download`, so each part comes from its suite, not the newest one. */
export function downloadArgs(plan = ENGINE_PACKAGES): string[] {
  return plan.flatMap((p) => p.packages.map((name) => `${name}/${p.suite}`));
}

export interface StampEntry {
  name: string;
  version: string;
  suite: string;
}

export function formatStamp(entries: readonly StampEntry[]): string {
  return [...entries]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((e) => `${e.name} ${e.version} ${e.suite}\n`)
    .join('');
}

export function parseStamp(text: string): StampEntry[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [name, version, suite] = l.split(/\s+/);
      return { name, version: version ?? '', suite: suite ?? '' };
    })
    .filter((e) => e.name && e.version);
}

/** The prefix is complete when the stamp names every planned package from its planned suite. */
export function stampComplete(entries: readonly StampEntry[], plan = ENGINE_PACKAGES): boolean {
  const have = new Map(entries.map((e) => [e.name, e.suite]));
  return plan.every((p) => p.packages.every((name) => have.get(name) === p.suite));
}

/** The first x.y.z in a `--version` line; Debian suffixes (`+ds1-1`) and a leading `v` are dropped. */
export function parseVersion(text: string): string | undefined {
  const m = /\bv?(\d+\.\d+(?:\.\d+)?)/.exec(text);
  return m ? semver.coerce(m[1])?.version : undefined;
}

export function versionAtLeast(version: string | undefined, min: string): boolean {
  const v = version ? semver.coerce(version) : null;
  return v !== null && semver.gte(v, min);
}

/** `docker buildx inspect` prints `Platforms: linux/amd64, linux/amd64/v2*, ...` (a `*` marks user-set ones). */
export function parsePlatforms(inspect: string): string[] {
  const out = new Set<string>();
  for (const line of inspect.split('\n')) {
    const m = /^\s*Platforms:\s*(.*)$/.exec(line);
    if (!m) continue;
    for (const p of m[1].split(',')) {
      const name = p.trim().replace(/\*$/, '');
      if (name) out.add(name);
    }
  }
  return [...out];
}

export interface EngineState {
  version: 1;
  /** True when up started dockerd itself; false when it adopted an engine that was already there. */
  managed: boolean;
  dockerHost: string;
  /** The docker client to run against dockerHost. */
  client: string;
  socket?: string;
  registryUrl: string;
  /** Processes up started and down may stop: dockerd, containerd (dockerd's child), registry. */
  pids: Record<string, number>;
  startedAt: string;
}

export function parseState(text: string): EngineState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UserError(`engine state file is not JSON: ${(e as Error).message}`);
  }
  const o = raw as Record<string, unknown>;
  const bad = (why: string) => new UserError(`engine state file: ${why}`);
  if (!o || typeof o !== 'object' || o.version !== 1) throw bad('unknown version');
  if (typeof o.managed !== 'boolean') throw bad('managed must be a boolean');
  if (typeof o.dockerHost !== 'string' || !o.dockerHost) throw bad('dockerHost missing');
  if (typeof o.client !== 'string' || !o.client) throw bad('client missing');
  if (typeof o.registryUrl !== 'string') throw bad('registryUrl missing');
  if (o.socket !== undefined && typeof o.socket !== 'string') throw bad('socket must be a string');
  const pids: Record<string, number> = {};
  if (!o.pids || typeof o.pids !== 'object') throw bad('pids missing');
  for (const [k, v] of Object.entries(o.pids as Record<string, unknown>)) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 1) throw bad(`pid ${k} is not a process id`);
    pids[k] = v;
  }
  return {
    version: 1,
    managed: o.managed,
    dockerHost: o.dockerHost,
    client: o.client,
    socket: o.socket as string | undefined,
    registryUrl: o.registryUrl,
    pids,
    startedAt: typeof o.startedAt === 'string' ? o.startedAt : '',
  };
}

export function formatState(state: EngineState): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}

export function registryConfigText(dataDir: string, addr = REGISTRY_ADDR): string {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(dataDir)}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${addr}`,
    '',
  ].join('\n');
}

/**
 * binfmt_misc registration for arm64 binaries (ELF64, little-endian, e_machine 0xb7). Flags as Docker's
 * tonistiigi/binfmt sets them: F opens the interpreter now, so it works in chroots and containers that
 * lack the file; P keeps argv[0] (qemu 7.2 reads it from AT_FLAGS); O and C let setuid binaries work.
 */
export function binfmtRegistration(interpreter: string): string {
  const magic = '\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00';
  const mask = '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff';
  return `:qemu-aarch64:M::${magic}:${mask}:${interpreter}:POCF`;
}

/** Node's arch names to Debian's. */
export function debianArch(nodeArch: string = process.arch): string {
  const map: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'armhf', ppc64: 'ppc64el', s390x: 's390x', riscv64: 'riscv64' };
  const arch = map[nodeArch];
  if (!arch) throw new UserError(`unsupported host architecture ${nodeArch}`);
  return arch;
}

// ---------------------------------------------------------------------------------------------
// Prefix layout

const PREFIX_BIN_DIRS = ['usr/sbin', 'usr/bin', 'sbin', 'bin'];

export function prefixPathDirs(prefix: string): string[] {
  return PREFIX_BIN_DIRS.map((d) => join(prefix, d));
}

function prefixTool(prefix: string, name: string): string {
  for (const dir of prefixPathDirs(prefix)) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  throw new UserError(`engine prefix ${prefix} has no ${name}; run \`accelbase engine up\` again after removing ${prefix}`);
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

// ---------------------------------------------------------------------------------------------
// Provisioning

export interface ProvisionResult {
  prefix: string;
  packages: StampEntry[];
  cached: boolean;
}

function readStamp(paths: EnginePaths): StampEntry[] | undefined {
  try {
    return parseStamp(readFileSync(paths.stamp, 'utf8'));
  } catch {
    return undefined;
  }
}

export async function provisionEngine(home = engineHome()): Promise<ProvisionResult> {
  const paths = enginePaths(home);
  const stamp = readStamp(paths);
  if (stamp && stampComplete(stamp)) {
    return { prefix: paths.prefix, packages: stamp, cached: true };
  }
  const mirror = debianMirror();
  const arch = debianArch();
  for (const dir of [paths.aptLists, join(paths.aptLists, 'partial'), join(paths.aptCache, 'archives', 'partial'), paths.debs]) {
    mkdirSync(dir, { recursive: true });
  }
  writeFileSync(paths.sourcesList, aptSourcesText(mirror));
  if (!existsSync(paths.aptStatus)) writeFileSync(paths.aptStatus, '');
  const opts = aptOptions(paths, arch);
  const suites = [...new Set(ENGINE_PACKAGES.map((p) => p.suite))].join(', ');
  info(`engine: fetching package lists (${suites}) from ${mirror}`);
  await run('apt-get', [...opts, '-q', 'update'], { timeoutMs: 15 * 60_000 });

  // Download into an empty folder so the .deb set is exactly this plan.
  for (const f of readdirSync(paths.debs)) rmSync(join(paths.debs, f), { force: true });
  const wanted = downloadArgs();
  info(`engine: downloading ${wanted.length} packages: ${wanted.join(' ')}`);
  await run('apt-get', [...opts, '-q', 'download', ...wanted], { cwd: paths.debs, timeoutMs: 30 * 60_000 });

  // Extract into a fresh folder and swap it in, so a failure never leaves a half-made prefix behind.
  const fresh = `${paths.prefix}.new`;
  rmSync(fresh, { recursive: true, force: true });
  mkdirSync(fresh, { recursive: true });
  const suiteOf = new Map(ENGINE_PACKAGES.flatMap((p) => p.packages.map((n) => [n, p.suite] as const)));
  const entries: StampEntry[] = [];
  for (const deb of readdirSync(paths.debs).filter((f) => f.endsWith('.deb')).sort()) {
    const file = join(paths.debs, deb);
    const fields = await run('dpkg-deb', ['--showformat=${Package} ${Version}', '--show', file]);
    const [name, version] = fields.stdout.trim().split(/\s+/);
    info(`engine: extracting ${name} ${version}`);
    await run('dpkg-deb', ['-x', file, fresh]);
    entries.push({ name, version, suite: suiteOf.get(name) ?? '' });
  }
  if (!stampComplete(entries)) {
    const got = new Set(entries.map((e) => e.name));
    const missing = ENGINE_PACKAGES.flatMap((p) => p.packages).filter((n) => !got.has(n));
    throw new UserError(`engine: apt did not deliver ${missing.join(', ')}`);
  }
  writeFileSync(join(fresh, '.accelbase-packages'), formatStamp(entries));
  rmSync(paths.prefix, { recursive: true, force: true });
  renameSync(fresh, paths.prefix);
  // The .debs are extracted; the stamp is what later runs check.
  for (const f of readdirSync(paths.debs)) rmSync(join(paths.debs, f), { force: true });
  info(`engine: prefix ready at ${paths.prefix}`);
  return { prefix: paths.prefix, packages: entries, cached: false };
}

// ---------------------------------------------------------------------------------------------
// binfmt

const BINFMT_DIR = '/proc/sys/fs/binfmt_misc';

/** Register qemu-aarch64 (F flag) unless an enabled registration exists. Needs root. */
export async function ensureBinfmt(prefix = enginePaths().prefix): Promise<'present' | 'registered'> {
  if (debianArch() === 'arm64') return 'present';
  if (!existsSync(join(BINFMT_DIR, 'register'))) {
    info(`engine: mounting binfmt_misc on ${BINFMT_DIR}`);
    await run('mount', ['-t', 'binfmt_misc', 'binfmt_misc', BINFMT_DIR]);
  }
  const entry = join(BINFMT_DIR, 'qemu-aarch64');
  if (existsSync(entry)) {
    const text = readFileSync(entry, 'utf8');
    if (/^enabled/m.test(text)) return 'present';
    writeFileSync(entry, '1');
    info('engine: enabled the existing qemu-aarch64 binfmt registration');
    return 'registered';
  }
  const interpreter = qemuAarch64(prefix);
  writeFileSync(join(BINFMT_DIR, 'register'), binfmtRegistration(interpreter));
  info(`engine: registered ${interpreter} for linux/arm64 binaries`);
  return 'registered';
}

// ---------------------------------------------------------------------------------------------
// State and processes

export function readState(home = engineHome()): EngineState | undefined {
  const file = enginePaths(home).state;
  if (!existsSync(file)) return undefined;
  return parseState(readFileSync(file, 'utf8'));
}

function writeState(home: string, state: EngineState): void {
  const file = enginePaths(home).state;
  writeFileSync(`${file}.tmp`, formatState(state));
  renameSync(`${file}.tmp`, file);
}

/** Alive and not a zombie. */
export function pidAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

/** A recorded PID counts as ours only while its command line still names the engine folder (PIDs get reused). */
function pidIsOurs(pid: number, home: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').some((a) => a.includes(home));
  } catch {
    return false;
  }
}

async function stopPid(name: string, pid: number, home: string, graceMs: number): Promise<boolean> {
  if (!pidAlive(pid) || !pidIsOurs(pid, home)) return false;
  info(`engine: stopping ${name} (pid ${pid})`);
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!pidAlive(pid)) return true;
    await sleep(200);
  }
  if (pidAlive(pid)) {
    info(`engine: ${name} (pid ${pid}) did not exit; sending SIGKILL`);
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 25 && pidAlive(pid); i++) await sleep(200);
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Client environment

function managedEnv(paths: EnginePaths): Record<string, string> {
  const extra = existsSync(join(paths.binOverride, 'runc')) ? [paths.binOverride] : [];
  return {
    DOCKER_HOST: `unix://${paths.socket}`,
    DOCKER_CONFIG: paths.dockerConfig,
    PATH: [...extra, ...prefixPathDirs(paths.prefix), process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'].join(delimiter),
  };
}

/** What clients (docker, buildx, bake) must run with. Without a state file: the managed engine's. */
export function engineEnv(home = engineHome()): Record<string, string> {
  const state = readState(home);
  if (state && !state.managed) {
    return { DOCKER_HOST: state.dockerHost, PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' };
  }
  return managedEnv(enginePaths(home));
}

/** The docker client: the prefix's docker-cli for the managed engine, never a stray one on PATH. */
export function dockerBinary(home = engineHome()): string {
  const state = readState(home);
  if (state && !state.managed) return state.client;
  return join(enginePaths(home).prefix, 'usr/bin/docker');
}

async function docker(args: string[], opts: { home: string; env?: Record<string, string>; client?: string; timeoutMs?: number }) {
  return run(opts.client ?? dockerBinary(opts.home), args, {
    env: opts.env ?? engineEnv(opts.home),
    allowFailure: true,
    timeoutMs: opts.timeoutMs ?? 30_000,
  });
}

export async function registryAnswers(url: string, timeoutMs = 2000): Promise<boolean> {
  try {
    const res = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(timeoutMs) });
    return res.status === 200 || res.status === 401;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// up

export interface EngineUpResult {
  managed: boolean;
  alreadyRunning: boolean;
  dockerHost: string;
  registryUrl: string;
  pids: Record<string, number>;
}

interface Candidate {
  dockerHost: string;
  client: string;
  env: Record<string, string>;
}

/** An engine that is already there: DOCKER_HOST, else the system socket, with a new-enough buildx. */
async function usableExternalEngine(paths: EnginePaths): Promise<Candidate | undefined> {
  const ours = `unix://${paths.socket}`;
  const host = process.env.DOCKER_HOST?.trim() || (existsSync('/var/run/docker.sock') ? 'unix:///var/run/docker.sock' : '');
  if (!host || host === ours) return undefined;
  // The user's own client and plugins go with the user's engine.
  const cand: Candidate = { dockerHost: host, client: 'docker', env: { DOCKER_HOST: host } };
  const ping = await run(cand.client, ['version', '--format', '{{.Server.Version}}'], { env: cand.env, allowFailure: true, timeoutMs: 15_000 });
  if (ping.exitCode !== 0) {
    info(`engine: ${host} does not answer; starting a managed engine instead`);
    return undefined;
  }
  const bx = await run(cand.client, ['buildx', 'version'], { env: cand.env, allowFailure: true, timeoutMs: 15_000 });
  const v = bx.exitCode === 0 ? parseVersion(bx.stdout.replace(/^\S+\s*/, '')) : undefined;
  if (!versionAtLeast(v, MIN_BUILDX)) {
    info(`engine: ${host} answers but buildx ${v ?? 'is missing'} (< ${MIN_BUILDX}); starting a managed engine instead`);
    return undefined;
  }
  return cand;
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

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>, alive: () => boolean, log: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    if (!alive()) break;
    await sleep(500);
  }
  let logTail = '';
  try {
    logTail = tail(readFileSync(log, 'utf8'), 25);
  } catch {
    /* no log */
  }
  throw new UserError(`engine: ${what} did not come up (see ${log})${logTail ? `\n${logTail}` : ''}`);
}

/**
 * Start a daemon that outlives this process, with its output going straight to `logFile`.
 * Not a detached execa child: execa writes a `{ file }` target through a stream in this process, so the
 * parent cannot exit while the daemon runs (`engine up` would hang) and, once it does exit, the daemon's
 * stdout/stderr are broken pipes (Go daemons then die of SIGPIPE on their next log line).
 * start-stop-daemon (dpkg, on every Debian host) opens the log itself, detaches, and records the PID.
 */
async function launchDaemon(
  file: string,
  args: readonly string[],
  opts: { cwd: string; logFile: string; pidFile: string; env?: Record<string, string> },
): Promise<number> {
  rmSync(opts.pidFile, { force: true });
  const ssd = ['--start', '--background', '--make-pidfile', '--pidfile', opts.pidFile, '--output', opts.logFile, '--chdir', opts.cwd];
  await run('start-stop-daemon', [...ssd, '--startas', file, '--', ...args], { env: opts.env, timeoutMs: 30_000 });
  // The detached grandchild writes the pidfile; it may land just after start-stop-daemon returns.
  for (let i = 0; i < 50; i++) {
    const pid = readPid(opts.pidFile);
    if (pid) return pid;
    await sleep(100);
  }
  throw new UserError(`engine: ${file} was started but wrote no pid to ${opts.pidFile} (see ${opts.logFile})`);
}

async function startRegistry(paths: EnginePaths): Promise<{ url: string; pid?: number }> {
  const url = `http://${REGISTRY_ADDR}`;
  if (await registryAnswers(url)) {
    info(`engine: a registry already answers at ${url}; using it`);
    return { url };
  }
  mkdirSync(paths.registryData, { recursive: true });
  writeFileSync(paths.registryConfig, registryConfigText(paths.registryData));
  const log = join(paths.logs, 'registry.log');
  const pid = await launchDaemon(prefixTool(paths.prefix, 'docker-registry'), ['serve', paths.registryConfig], {
    cwd: paths.home,
    logFile: log,
    pidFile: join(paths.home, 'registry.pid'),
  });
  await waitFor('docker-registry', 30_000, () => registryAnswers(url), () => pidAlive(pid), log);
  return { url, pid };
}

async function startDockerd(paths: EnginePaths): Promise<Record<string, number>> {
  await chooseRunc(paths);
  for (const d of [paths.dataRoot, paths.execRoot, paths.logs]) mkdirSync(d, { recursive: true });
  writeFileSync(paths.daemonJson, daemonJson());
  linkBuildx(paths);
  // A socket or pidfile left by a dockerd that died would make the new one refuse to start.
  rmSync(paths.socket, { force: true });
  rmSync(paths.pidfile, { force: true });
  const env = managedEnv(paths);
  const log = join(paths.logs, 'dockerd.log');
  const args = [
    '--config-file', paths.daemonJson,
    '--data-root', paths.dataRoot,
    '--exec-root', paths.execRoot,
    '--pidfile', paths.pidfile,
    '-H', `unix://${paths.socket}`,
  ];
  info(`engine: starting dockerd (log ${log})`);
  const pid = await launchDaemon(prefixTool(paths.prefix, 'dockerd'), args, {
    env: { PATH: env.PATH },
    cwd: paths.home,
    logFile: log,
    // dockerd writes its own --pidfile too; this one is the launcher's.
    pidFile: join(paths.home, 'dockerd.launch.pid'),
  });
  const client = join(paths.prefix, 'usr/bin/docker');
  await waitFor(
    'dockerd',
    120_000,
    async () => (await run(client, ['info', '--format', '{{.ServerVersion}}'], { env, allowFailure: true, timeoutMs: 10_000 })).exitCode === 0,
    () => pidAlive(pid),
    log,
  );
  const pids: Record<string, number> = { dockerd: pid };
  // dockerd runs its own containerd; record it so down can stop it if dockerd dies without it.
  const containerd = readPid(join(paths.execRoot, 'containerd', 'containerd.pid'));
  if (containerd) pids.containerd = containerd;
  return pids;
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function recoverManaged(paths: EnginePaths): Promise<EngineState | undefined> {
  const dockerd = readPid(paths.pidfile);
  if (!dockerd || !pidAlive(dockerd) || !pidIsOurs(dockerd, paths.home) || !existsSync(paths.socket)) return undefined;
  const env = managedEnv(paths);
  const client = join(paths.prefix, 'usr/bin/docker');
  if ((await run(client, ['info', '--format', '{{.ServerVersion}}'], { env, allowFailure: true, timeoutMs: 10_000 })).exitCode !== 0) return undefined;
  const pids: Record<string, number> = { dockerd };
  const containerd = readPid(join(paths.execRoot, 'containerd', 'containerd.pid'));
  if (containerd && pidAlive(containerd)) pids.containerd = containerd;
  const registry = readPid(join(paths.home, 'registry.pid'));
  let registryUrl = `http://${REGISTRY_ADDR}`;
  if (registry && pidAlive(registry) && pidIsOurs(registry, paths.home)) pids.registry = registry;
  else {
    mkdirSync(paths.logs, { recursive: true });
    const reg = await startRegistry(paths);
    registryUrl = reg.url;
    if (reg.pid) pids.registry = reg.pid;
  }
  return { version: 1, managed: true, dockerHost: env.DOCKER_HOST, client, socket: paths.socket, registryUrl, pids, startedAt: new Date().toISOString() };
}

export async function engineUp(home = engineHome()): Promise<EngineUpResult> {
  const paths = enginePaths(home);
  mkdirSync(paths.home, { recursive: true });

  const prev = readStateSafe(home);
  if (prev?.managed && prev.pids.dockerd && pidAlive(prev.pids.dockerd) && pidIsOurs(prev.pids.dockerd, home)) {
    const ok = (await docker(['info', '--format', '{{.ServerVersion}}'], { home })).exitCode === 0;
    if (ok) {
      const pids = { ...prev.pids };
      if (!(await registryAnswers(prev.registryUrl))) {
        const reg = await startRegistry(paths);
        if (reg.pid) pids.registry = reg.pid;
        writeState(home, { ...prev, pids });
      }
      info(`engine: already running (dockerd pid ${prev.pids.dockerd}, ${prev.dockerHost}, registry ${prev.registryUrl})`);
      return { managed: true, alreadyRunning: true, dockerHost: prev.dockerHost, registryUrl: prev.registryUrl, pids };
    }
  }
  if (prev) rmSync(paths.state, { force: true });

  // A managed engine whose state file was lost still answers on our socket: adopt it from its pidfiles
  // rather than start a second dockerd that would refuse the same data root.
  const orphan = await recoverManaged(paths);
  if (orphan) {
    writeState(home, orphan);
    info(`engine: already running (dockerd pid ${orphan.pids.dockerd}, ${orphan.dockerHost}); state file rewritten`);
    return { managed: true, alreadyRunning: true, dockerHost: orphan.dockerHost, registryUrl: orphan.registryUrl, pids: { ...orphan.pids } };
  }

  const external = await usableExternalEngine(paths);
  if (external) {
    info(`engine: using the engine that is already running at ${external.dockerHost}`);
    const pids: Record<string, number> = {};
    const url = `http://${REGISTRY_ADDR}`;
    let registryUrl = url;
    if (!(await registryAnswers(url))) {
      await provisionEngine(home);
      mkdirSync(paths.logs, { recursive: true });
      const reg = await startRegistry(paths);
      registryUrl = reg.url;
      if (reg.pid) pids.registry = reg.pid;
    }
    writeState(home, {
      version: 1,
      managed: false,
      dockerHost: external.dockerHost,
      client: external.client,
      registryUrl,
      pids,
      startedAt: new Date().toISOString(),
    });
    return { managed: false, alreadyRunning: true, dockerHost: external.dockerHost, registryUrl, pids };
  }

  if (process.getuid?.() !== 0) {
    throw new UserError('engine: starting dockerd needs root; run `accelbase engine up` as root, or point DOCKER_HOST at an engine with buildx >= 0.14');
  }
  const prov = await provisionEngine(home);
  if (prov.cached) info(`engine: prefix ${prov.prefix} is complete (${prov.packages.map((p) => `${p.name} ${p.version}`).join(', ')})`);
  // Before dockerd starts: BuildKit probes emulators once, at start.
  await ensureBinfmt(prov.prefix);
  mkdirSync(paths.logs, { recursive: true });
  const pids: Record<string, number> = {};
  const state: EngineState = {
    version: 1,
    managed: true,
    dockerHost: `unix://${paths.socket}`,
    client: join(paths.prefix, 'usr/bin/docker'),
    socket: paths.socket,
    registryUrl: `http://${REGISTRY_ADDR}`,
    pids,
    startedAt: new Date().toISOString(),
  };
  try {
    Object.assign(pids, await startDockerd(paths));
    writeState(home, state);
    const reg = await startRegistry(paths);
    state.registryUrl = reg.url;
    if (reg.pid) pids.registry = reg.pid;
    writeState(home, state);
  } catch (e) {
    // Leave nothing half-started behind.
    for (const [name, pid] of Object.entries(pids)) await stopPid(name, pid, home, 15_000);
    rmSync(paths.state, { force: true });
    throw e;
  }
  info(`engine: started dockerd (pid ${pids.dockerd}${pids.containerd ? `, containerd pid ${pids.containerd}` : ''}) on ${state.dockerHost}`);
  info(`engine: started docker-registry${pids.registry ? ` (pid ${pids.registry})` : ''} at ${state.registryUrl}`);
  info(`engine: clients use DOCKER_HOST=${state.dockerHost} DOCKER_CONFIG=${paths.dockerConfig} ${state.client}`);
  return { managed: true, alreadyRunning: false, dockerHost: state.dockerHost, registryUrl: state.registryUrl, pids: { ...pids } };
}

function readStateSafe(home: string): EngineState | undefined {
  try {
    return readState(home);
  } catch (e) {
    info(`engine: ignoring unreadable state file: ${(e as Error).message}`);
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// down

export async function engineDown(home = engineHome()): Promise<{ stopped: Record<string, number> }> {
  const paths = enginePaths(home);
  const state = readStateSafe(home);
  const stopped: Record<string, number> = {};
  if (!state) {
    info('engine: not running (no state file)');
    rmSync(paths.state, { force: true });
    return { stopped };
  }
  // dockerd first: it stops its containers and its containerd; then whatever is left, then the registry.
  const order = ['dockerd', 'containerd', 'registry', ...Object.keys(state.pids).filter((k) => !['dockerd', 'containerd', 'registry'].includes(k))];
  for (const name of order) {
    const pid = state.pids[name];
    if (pid && (await stopPid(name, pid, home, name === 'dockerd' ? 30_000 : 10_000))) stopped[name] = pid;
  }
  rmSync(paths.state, { force: true });
  info(Object.keys(stopped).length ? `engine: stopped ${Object.entries(stopped).map(([n, p]) => `${n} (${p})`).join(', ')}` : 'engine: nothing of ours was running');
  return { stopped };
}

// ---------------------------------------------------------------------------------------------
// status

export interface EngineStatus {
  running: boolean;
  dockerHost: string;
  dockerVersion?: string;
  buildxVersion?: string;
  platforms: string[];
  registry: { url: string; host: string; up: boolean };
  pids: Record<string, number>;
  managed: boolean;
}

export async function engineStatus(home = engineHome()): Promise<EngineStatus> {
  const state = readStateSafe(home);
  const env = engineEnv(home);
  const client = dockerBinary(home);
  const url = state?.registryUrl || `http://${REGISTRY_ADDR}`;
  const status: EngineStatus = {
    running: false,
    dockerHost: env.DOCKER_HOST,
    platforms: [],
    registry: { url, host: url.replace(/^https?:\/\//, ''), up: await registryAnswers(url) },
    pids: Object.fromEntries(Object.entries(state?.pids ?? {}).filter(([, pid]) => pidAlive(pid))),
    managed: state?.managed ?? false,
  };
  if (client.includes('/') && !existsSync(client)) return status;
  const ver = await docker(['version', '--format', '{{.Server.Version}}'], { home, env, client });
  if (ver.exitCode !== 0) return status;
  status.running = true;
  status.dockerVersion = ver.stdout.trim();
  const bx = await docker(['buildx', 'version'], { home, env, client });
  // `github.com/docker/buildx 0.29.1+ds1 <commit>`: skip the module path, which has no version in it.
  if (bx.exitCode === 0) status.buildxVersion = parseVersion(bx.stdout.replace(/^\S+\s*/, ''));
  const inspect = await docker(['buildx', 'inspect', '--bootstrap'], { home, env, client, timeoutMs: 60_000 });
  if (inspect.exitCode === 0) status.platforms = parsePlatforms(inspect.stdout);
  return status;
}

/** Throw a helpful error when no engine answers; otherwise the client env. */
export async function requireEngine(home = engineHome()): Promise<{ env: Record<string, string>; docker: string }> {
  const env = engineEnv(home);
  const client = dockerBinary(home);
  const ok = existsSync(client) || !client.includes('/') ? (await docker(['version', '--format', '{{.Server.Version}}'], { home, env, client })).exitCode === 0 : false;
  if (!ok) throw new UserError(`no build engine answers at ${env.DOCKER_HOST}; run \`accelbase engine up\``);
  return { env, docker: client };
}

/** Whether the engine has a bridge network; without one, builds need `--set *.network=host --allow network.host`. */
export async function hasBridgeNetwork(home = engineHome()): Promise<boolean> {
  const r = await docker(['network', 'ls', '--format', '{{.Driver}}'], { home });
  if (r.exitCode !== 0) throw new UserError(`engine: docker network ls failed: ${tail(r.stderr || r.stdout, 3)}`);
  return r.stdout.split('\n').some((l) => l.trim() === 'bridge');
}
