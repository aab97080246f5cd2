// The engine's prefix: Debian packages fetched by a private apt configuration (its own sources, lists,
// cache and status; the host's apt never sees them) and extracted with dpkg-deb, never installed.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import { writeAtomic } from '../lib/fs.js';
import { run } from '../exec.js';
import { info } from '../log.js';
import { debianMirror } from '../datasources/debian/mirror.js';
import { HOST_DEBIAN_KEYRING } from '../datasources/debian/mirror.js';
import { debianArch } from './host.js';
import { STAMP_FILE, enginePaths, type EnginePaths } from './paths.js';

/**
 * Which suite each part comes from. trixie's dockerd/containerd (and cosign 2.5, which signs pushed
 * images) need only libc >= 2.34 so they run on bookworm; buildx must come from forky because trixie's 0.13 lacks bake's `network` key; trixie's runc
 * needs libc 2.38, so runc and the tools come from bookworm (the host's suite), with the libraries
 * apt-cacher-ng needs that a bare bookworm host lacks.
 */
export const ENGINE_PACKAGES: readonly { suite: string; packages: readonly string[] }[] = [
  { suite: 'trixie', packages: ['docker.io', 'docker-cli', 'containerd', 'cosign'] },
  { suite: 'forky', packages: ['docker-buildx'] },
  {
    suite: 'bookworm',
    packages: [
      'runc',
      'tini',
      'qemu-user-static',
      'binfmt-support',
      'debootstrap',
      'docker-registry',
      'apt-cacher-ng',
      'libevent-2.1-7',
      'libevent-pthreads-2.1-7',
      'libwrap0',
      'libc-ares2',
    ],
  },
];

/** One-line sources, signed by the host's Debian keyring, one line per suite the parts come from. */
export function aptSourcesText(mirror: string, plan = ENGINE_PACKAGES): string {
  const lines = ['# accelbase engine: private apt sources, never read by the host apt'];
  for (const suite of [...new Set(plan.map((p) => p.suite))]) {
    lines.push(`deb [signed-by=${HOST_DEBIAN_KEYRING}] ${mirror.replace(/\/+$/, '')} ${suite} main`);
  }
  return `${lines.join('\n')}\n`;
}

/** `-o` options that point apt at the engine folder only: its own sources, lists, cache and status. */
export function aptOptions(
  paths: Pick<EnginePaths, 'sourcesList' | 'aptLists' | 'aptCache' | 'aptStatus'>,
  arch: string,
): string[] {
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
  return missingPackages(entries, plan).length === 0;
}

/** The planned packages the stamp lacks (or has from another suite), per suite; empty suites dropped. */
export function missingPackages(entries: readonly StampEntry[], plan = ENGINE_PACKAGES): typeof ENGINE_PACKAGES {
  const have = new Map(entries.map((e) => [e.name, e.suite]));
  return plan
    .map((p) => ({ suite: p.suite, packages: p.packages.filter((name) => have.get(name) !== p.suite) }))
    .filter((p) => p.packages.length > 0);
}

/**
 * Whether the missing packages can be added to a live prefix: only packages the stamp does not name
 * at all (a part newly planned, such as cosign). A part from another suite replaces files a running
 * engine uses, so that still makes the prefix afresh.
 */
export function additive(entries: readonly StampEntry[], missing: typeof ENGINE_PACKAGES): boolean {
  const named = new Set(entries.map((e) => e.name));
  return entries.length > 0 && missing.every((p) => p.packages.every((name) => !named.has(name)));
}

export interface ProvisionResult {
  prefix: string;
  packages: StampEntry[];
  cached: boolean;
}

/** What the prefix holds, by its stamp; undefined before the first `engine up`. */
export const prefixPackages = (home: string): StampEntry[] | undefined => readStamp(enginePaths(home));

function readStamp(paths: EnginePaths): StampEntry[] | undefined {
  try {
    return parseStamp(readFileSync(paths.stamp, 'utf8'));
  } catch {
    return undefined;
  }
}

function emptyDir(dir: string): void {
  for (const f of readdirSync(dir)) rmSync(join(dir, f), { force: true });
}

/** `apt-get update` then `apt-get download` of `plan` into the (emptied) debs folder. */
async function downloadDebs(
  paths: EnginePaths,
  mirrorOverride: string | undefined,
  plan = ENGINE_PACKAGES,
): Promise<void> {
  const mirror = debianMirror(mirrorOverride);
  const arch = debianArch();
  for (const dir of [
    paths.aptLists,
    join(paths.aptLists, 'partial'),
    join(paths.aptCache, 'archives', 'partial'),
    paths.debs,
  ]) {
    mkdirSync(dir, { recursive: true });
  }
  writeFileSync(paths.sourcesList, aptSourcesText(mirror));
  if (!existsSync(paths.aptStatus)) writeFileSync(paths.aptStatus, '');
  const opts = aptOptions(paths, arch);
  const suites = [...new Set(ENGINE_PACKAGES.map((p) => p.suite))].join(', ');
  info(`engine: fetching package lists (${suites}) from ${mirror}`);
  await run('apt-get', [...opts, '-q', 'update'], { timeoutMs: 15 * 60_000 });

  // Download into an empty folder so the .deb set is exactly this plan.
  emptyDir(paths.debs);
  const wanted = downloadArgs(plan);
  info(`engine: downloading ${wanted.length} packages: ${wanted.join(' ')}`);
  await run('apt-get', [...opts, '-q', 'download', ...wanted], { cwd: paths.debs, timeoutMs: 30 * 60_000 });
}

/** Extract every downloaded .deb into `dir`; what was extracted, for the stamp. */
async function extractDebs(debs: string, dir: string): Promise<StampEntry[]> {
  const suiteOf = new Map(ENGINE_PACKAGES.flatMap((p) => p.packages.map((n) => [n, p.suite] as const)));
  const entries: StampEntry[] = [];
  for (const deb of readdirSync(debs)
    .filter((f) => f.endsWith('.deb'))
    .sort()) {
    const file = join(debs, deb);
    const fields = await run('dpkg-deb', ['--showformat=${Package} ${Version}', '--show', file]);
    const [name, version] = fields.stdout.trim().split(/\s+/);
    info(`engine: extracting ${name} ${version}`);
    await run('dpkg-deb', ['-x', file, dir]);
    entries.push({ name, version, suite: suiteOf.get(name) ?? '' });
  }
  return entries;
}

/** Every file under `dir`, relative to it (folders are made on the way). */
function filesUnder(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const path = rel ? join(rel, e.name) : e.name;
    return e.isDirectory() ? filesUnder(dir, path) : [path];
  });
}

/**
 * Add newly planned packages to a prefix a running engine uses: extracted beside it, then each file
 * that the prefix lacks renamed in (nothing it has is replaced), then the stamp rewritten atomically.
 */
async function addToPrefix(
  paths: EnginePaths,
  mirror: string | undefined,
  stamp: StampEntry[],
  missing: typeof ENGINE_PACKAGES,
): Promise<ProvisionResult> {
  await downloadDebs(paths, mirror, missing);
  const staging = `${paths.prefix}.add`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const added = await extractDebs(paths.debs, staging);
    const got = new Set(added.map((e) => e.name));
    const absent = missing.flatMap((p) => p.packages).filter((n) => !got.has(n));
    if (absent.length) throw new UserError(`engine: apt did not deliver ${absent.join(', ')}`);
    for (const file of filesUnder(staging)) {
      const to = join(paths.prefix, file);
      if (existsSync(to)) continue;
      mkdirSync(dirname(to), { recursive: true });
      renameSync(join(staging, file), to);
    }
    const entries = [...stamp, ...added];
    writeAtomic(paths.stamp, formatStamp(entries));
    emptyDir(paths.debs);
    info(`engine: added ${added.map((e) => `${e.name} ${e.version}`).join(', ')} to ${paths.prefix}`);
    return { prefix: paths.prefix, packages: entries, cached: false };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * For an engine already running: add the parts planned since its prefix was made (cosign), never
 * replacing a file it uses; any other difference waits until the engine is down and up again.
 */
export async function addNewParts(home: string, mirror: string | undefined): Promise<void> {
  const paths = enginePaths(home);
  const stamp = readStamp(paths);
  if (!stamp || stampComplete(stamp)) return;
  const missing = missingPackages(stamp);
  if (additive(stamp, missing)) await addToPrefix(paths, mirror, stamp, missing);
}

/**
 * Make the prefix unless its stamp says it is complete; `mirror`: the run config's
 * ACCELBASE_DEBIAN_MIRROR. Parts newly planned are added to an existing prefix in place (safe while
 * the engine runs); any other difference makes the prefix afresh.
 */
export async function provisionEngine(home: string, mirror: string | undefined): Promise<ProvisionResult> {
  const paths = enginePaths(home);
  const stamp = readStamp(paths);
  if (stamp && stampComplete(stamp)) {
    return { prefix: paths.prefix, packages: stamp, cached: true };
  }
  const missing = stamp ? missingPackages(stamp) : ENGINE_PACKAGES;
  if (stamp && additive(stamp, missing)) return addToPrefix(paths, mirror, stamp, missing);
  await downloadDebs(paths, mirror);

  // Extract into a fresh folder and swap it in, so a failure never leaves a half-made prefix behind.
  const fresh = `${paths.prefix}.new`;
  rmSync(fresh, { recursive: true, force: true });
  mkdirSync(fresh, { recursive: true });
  const entries = await extractDebs(paths.debs, fresh);
  if (!stampComplete(entries)) {
    const got = new Set(entries.map((e) => e.name));
    const missing = ENGINE_PACKAGES.flatMap((p) => p.packages).filter((n) => !got.has(n));
    throw new UserError(`engine: apt did not deliver ${missing.join(', ')}`);
  }
  writeFileSync(join(fresh, STAMP_FILE), formatStamp(entries));
  rmSync(paths.prefix, { recursive: true, force: true });
  renameSync(fresh, paths.prefix);
  // The .debs are extracted; the stamp is what later runs check.
  emptyDir(paths.debs);
  info(`engine: prefix ready at ${paths.prefix}`);
  return { prefix: paths.prefix, packages: entries, cached: false };
}
