// minideb's trimming, the way bitnami/minideb and debuerreotype trim theirs: what nothing in an image
// needs goes, host and build identity is reset, and the image's apt/dpkg configuration is written.
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { APT_CONF, DPKG_EXCLUDES, DPKG_SPEEDUP, POLICY_RC_D, clampShadow, sourcesListText } from './image-files.js';
import {
  emptyDirInRoot,
  insideRoot,
  isRoot,
  removeFilesBelow,
  removeInRoot,
  treeTarBytes,
  writeInRoot,
} from './tree.js';

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

/** What only a debugger or an interactive completion loads (gdb's auto-load and libstdc++'s pretty printers, bash completions without bash-completion). */
export const TRIM_UNLOADED = ['usr/share/gdb', 'usr/share/gcc', 'usr/share/bash-completion'];

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

export interface TrimOptions {
  suite: string;
  mirror: string;
  securityMirror?: string;
  epoch: number;
  /** The install_packages script to copy into /usr/sbin. */
  installPackages: string;
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
    for (const name of readdirSync(p))
      if (name !== 'copyright') rmSync(join(p, name), { recursive: true, force: true });
    if (readdirSync(p).length === 0) rmSync(p, { recursive: true, force: true });
  }
}

/** Caches, package lists, logs, backups, man pages and info. */
function removeClutter(root: string): void {
  for (const rel of TRIM_EMPTY) emptyDirInRoot(root, rel);
  for (const rel of TRIM_FILES) removeInRoot(root, rel);
  for (const rel of TRIM_OLD_IN) {
    const p = insideRoot(root, rel);
    if (p && existsSync(p))
      for (const name of readdirSync(p)) if (name.endsWith('-old')) rmSync(join(p, name), { force: true });
  }
  const logs = insideRoot(root, TRIM_LOGS);
  if (logs && existsSync(logs) && lstatSync(logs).isDirectory()) removeFilesBelow(logs);
  const man = insideRoot(root, 'usr/share/man');
  if (man) for (const s of MAN_SECTIONS) mkdirSync(join(man, s), { recursive: true, mode: 0o755 });
}

/**
 * gconv: the modules glibc's own gconv-modules file lists (UTF-16, UTF-32, UTF-7, UNICODE, ISO-8859-1
 * and -15, CP1252, ANSI_X3.110) stay; the ~240 that only gconv-modules.d/gconv-modules-extra.conf lists
 * go with that file, and so does the cache that names them (glibc reads the lists when it has no
 * cache). bullseye's glibc keeps every module in one file, so there this removes nothing.
 */
export function trimGconv(root: string): void {
  const lib = insideRoot(root, 'usr/lib');
  if (!lib || !existsSync(lib)) return;
  for (const triplet of readdirSync(lib)) {
    const dir = insideRoot(root, `usr/lib/${triplet}/gconv`);
    const extra = dir && join(dir, 'gconv-modules.d', 'gconv-modules-extra.conf');
    if (!dir || !extra || !existsSync(extra) || !existsSync(join(dir, 'gconv-modules'))) continue;
    const keep = new Set(
      readFileSync(join(dir, 'gconv-modules'), 'utf8')
        .split('\n')
        .map((l) => l.trim().split(/\s+/))
        .filter((f) => f[0] === 'module' && f.length >= 4)
        .map((f) => `${f[3]}.so`),
    );
    for (const name of readdirSync(dir))
      if (name.endsWith('.so') && !keep.has(name)) rmSync(join(dir, name), { force: true });
    rmSync(extra, { force: true });
    rmSync(join(dir, 'gconv-modules.cache'), { force: true });
  }
}

export interface TrimStep {
  step: string;
  /** What the step took out of the tarball (see treeTarBytes). */
  bytes: number;
}

/** The steps that make the tree smaller, in order, each measured. */
const SIZE_STEPS: readonly [string, (root: string) => void][] = [
  ['caches, package lists, logs, backups, man pages and info', removeClutter],
  [
    'translations (/usr/share/locale but locale.alias)',
    (root) => emptyDirInRoot(root, 'usr/share/locale', KEEP_IN_LOCALE),
  ],
  ['/usr/share/doc but copyright files', trimDocs],
  ['gconv modules beyond the common charsets', trimGconv],
  [
    'debugger scripts and shell completions (/usr/share/gdb, gcc, bash-completion)',
    (root) => {
      for (const rel of TRIM_UNLOADED) removeInRoot(root, rel);
    },
  ],
];

/** Host and run identity: Docker provides these at run time; shadow dates must not be the build day. */
function resetIdentity(root: string, epoch: number): void {
  writeInRoot(root, 'etc/hostname', '');
  writeInRoot(root, 'etc/resolv.conf', '');
  writeInRoot(root, 'etc/hosts', '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n');
  const machineId = insideRoot(root, 'etc/machine-id');
  if (machineId && existsSync(machineId)) writeInRoot(root, 'etc/machine-id', '', 0o444);
  for (const rel of ['etc/shadow', 'etc/shadow-']) {
    const p = insideRoot(root, rel);
    if (!p || !existsSync(p) || !lstatSync(p).isFile()) continue;
    const text = readFileSync(p, 'utf8');
    const clamped = clampShadow(text, epoch);
    if (clamped !== text) writeFileSync(p, clamped);
  }
}

function writeImageConfig(root: string, o: TrimOptions): void {
  writeInRoot(root, 'etc/apt/sources.list', sourcesListText(o.mirror, o.suite, o.securityMirror));
  for (const [name, text] of Object.entries(APT_CONF)) writeInRoot(root, `etc/apt/apt.conf.d/${name}`, text);
  writeInRoot(root, 'etc/dpkg/dpkg.cfg.d/minideb-excludes', DPKG_EXCLUDES);
  writeInRoot(root, 'etc/dpkg/dpkg.cfg.d/docker-apt-speedup', DPKG_SPEEDUP);
  writeInRoot(root, 'usr/sbin/policy-rc.d', POLICY_RC_D, 0o755);
  writeInRoot(root, 'usr/sbin/install_packages', readFileSync(o.installPackages, 'utf8'), 0o755);
}

/** Everything that makes the tree smaller, host-independent and build-independent; what each size step saved. */
export function trimTree(root: string, o: TrimOptions): TrimStep[] {
  const steps: TrimStep[] = [];
  let before = treeTarBytes(root);
  for (const [step, apply] of SIZE_STEPS) {
    apply(root);
    const after = treeTarBytes(root);
    steps.push({ step, bytes: before - after });
    before = after;
  }
  resetIdentity(root, o.epoch);
  writeImageConfig(root, o);
  // debootstrap leaves / as the work folder was created; a tarball's root entry must not depend on that.
  if (isRoot()) chownSync(root, 0, 0);
  chmodSync(root, 0o755);
  return steps;
}
