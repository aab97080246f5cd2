import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { run } from '../exec.js';
import {
  APT_CONF,
  DPKG_EXCLUDES,
  assertArch,
  assertSuite,
  cacheName,
  clampShadow,
  debootstrapArgs,
  insideRoot,
  installPackagesScript,
  mountsUnder,
  releaseEpoch,
  sourcesListText,
  tarCreateArgs,
  tarExtractArgs,
  trimTree,
} from './rootfs.js';

const MIRROR = 'http://archive.example.invalid/debian';
const SECURITY = 'http://archive.example.invalid/debian-security';

describe('tar arguments', () => {
  it('make a reproducible archive', () => {
    const args = tarCreateArgs('/w/root', '/o/rootfs.tar', 1700000000);
    expect(args.slice(0, 3)).toEqual(['--create', '--file', '/o/rootfs.tar']);
    for (const flag of ['--format=posix', '--sort=name', '--mtime=@1700000000', '--clamp-mtime', '--numeric-owner']) expect(args).toContain(flag);
    // GNU tar's default pax header name holds the PID; atime/ctime change on every read.
    expect(args).toContain('--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime');
    expect(args.slice(-3)).toEqual(['--directory', '/w/root', '.']);
  });

  it('put excludes before the member list', () => {
    const args = tarCreateArgs('/w', '/o.tar', 1, ['./proc/*']);
    expect(args.indexOf('--exclude=./proc/*')).toBeLessThan(args.indexOf('.'));
  });

  it('extract with owners and modes as recorded', () => {
    expect(tarExtractArgs('/c.tar', '/w')).toEqual(['--extract', '--file', '/c.tar', '--directory', '/w', '--numeric-owner', '--preserve-permissions', '--same-owner']);
  });
});

describe('inputs', () => {
  it('accepts only the minideb suites and arches', () => {
    expect(assertSuite('bookworm')).toBe('bookworm');
    expect(assertArch('arm64')).toBe('arm64');
    expect(() => assertSuite('sid')).toThrow(UserError);
    expect(() => assertArch('armhf')).toThrow(UserError);
  });

  it('reads the Release date as the default epoch', () => {
    const text = 'Origin: Debian\nSuite: stable\nCodename: bookworm\nDate: Sat, 10 May 2025 08:52:02 UTC\nAcquire-By-Hash: yes\n';
    expect(releaseEpoch(text)).toBe(Date.UTC(2025, 4, 10, 8, 52, 2) / 1000);
    expect(releaseEpoch('Suite: x\n')).toBeUndefined();
  });

  it('keys the cache by suite, arch, mirror and dates', () => {
    const a = cacheName({ suite: 'bookworm', arch: 'amd64', mirror: MIRROR, release: 5, epoch: 5 });
    expect(a).toMatch(/^bookworm-amd64-[0-9a-f]{12}-5-5\.tar$/);
    expect(cacheName({ suite: 'bookworm', arch: 'amd64', mirror: `${MIRROR}/`, release: 5, epoch: 5 })).toBe(a);
    expect(cacheName({ suite: 'bookworm', arch: 'amd64', mirror: `${MIRROR}2`, release: 5, epoch: 5 })).not.toBe(a);
    expect(a).not.toContain('example');
  });

  it('runs debootstrap minbase against the given mirror', () => {
    expect(debootstrapArgs({ suite: 'trixie', arch: 'arm64', mirror: `${MIRROR}/`, target: '/w/t' })).toEqual([
      '--variant=minbase',
      '--arch=arm64',
      '--keyring=/usr/share/keyrings/debian-archive-keyring.gpg',
      '--force-check-gpg',
      'trixie',
      '/w/t',
      MIRROR,
    ]);
  });
});

describe('file contents', () => {
  it('clamps shadow change dates to the epoch day', () => {
    const epoch = 20000 * 86400 + 500;
    const text = 'root:*:20500:0:99999:7:::\nuser:$y$x:19000:0:99999:7:::\nnone:*::0:99999:7:::\n';
    expect(clampShadow(text, epoch)).toBe('root:*:20000:0:99999:7:::\nuser:$y$x:19000:0:99999:7:::\nnone:*::0:99999:7:::\n');
  });

  it('writes sources for the suite, its updates and security', () => {
    expect(sourcesListText(`${MIRROR}/`, 'bookworm', SECURITY)).toBe(
      `deb ${MIRROR} bookworm main\ndeb ${MIRROR} bookworm-updates main\ndeb ${SECURITY} bookworm-security main\n`,
    );
    expect(sourcesListText(MIRROR, 'trixie')).not.toContain('security');
  });

  it('keeps later installs trimmed', () => {
    expect(DPKG_EXCLUDES).toContain('path-exclude=/usr/share/doc/*\n');
    expect(DPKG_EXCLUDES).toContain('path-include=/usr/share/doc/*/copyright\n');
    expect(DPKG_EXCLUDES).toContain('path-exclude=/usr/share/man/*\n');
    expect(DPKG_EXCLUDES).toContain('path-exclude=/usr/share/locale/*\n');
    expect(APT_CONF['docker-no-recommends']).toContain('APT::Install-Recommends "false";');
    expect(APT_CONF['docker-clean']).toContain('Dir::Cache::pkgcache "";');
  });
});

describe('install_packages', () => {
  const script = installPackagesScript();

  it('is valid sh and executable', async () => {
    expect(existsSync(script)).toBe(true);
    expect(statSync(script).mode & 0o111).not.toBe(0);
    expect((await run('sh', ['-n', script], { allowFailure: true })).exitCode).toBe(0);
  });

  it('installs without recommends, retries, and cleans up', () => {
    const text = readFileSync(script, 'utf8');
    expect(text.startsWith('#!/bin/sh\n')).toBe(true);
    expect(text).toContain('apt-get install -y --no-install-recommends "$@"');
    expect(text).toMatch(/tries=3/);
    expect(text).toContain('rm -rf /var/lib/apt/lists/*');
  });

  it('refuses to run without packages', async () => {
    const r = await run('sh', [script], { allowFailure: true });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('usage');
  });
});

describe('mountsUnder', () => {
  it('finds mounts inside a folder, deepest first, decoding escapes', () => {
    const info = [
      '22 1 0:21 / / rw - ext4 /dev/vda rw',
      '30 22 0:5 / /w/root/proc rw - proc proc rw',
      '31 22 0:6 / /w/root/proc/sys/fs/binfmt_misc rw - binfmt_misc binfmt_misc rw',
      '32 22 0:7 / /w/root2/sys rw - sysfs sysfs rw',
      '33 22 0:8 / /w/root/my\\040dir rw - tmpfs tmpfs rw',
    ].join('\n');
    expect(mountsUnder('/w/root', info)).toEqual(['/w/root/proc/sys/fs/binfmt_misc', '/w/root/my dir', '/w/root/proc']);
    expect(mountsUnder('/elsewhere', info)).toEqual([]);
  });
});

describe('trimTree', () => {
  let dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    dirs = [];
  });

  function put(root: string, rel: string, content = 'x'): void {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }

  function fakeTree() {
    const base = mkdtempSync(join(tmpdir(), 'accelbase-trim-'));
    dirs.push(base);
    const root = join(base, 'root');
    const outside = join(base, 'host-run');
    put(outside, 'canary', 'host file');
    for (const [rel, content] of Object.entries({
      'usr/share/doc/bash/copyright': 'GPL',
      'usr/share/doc/bash/changelog.Debian.gz': 'log',
      'usr/share/doc/nocopyright/README': 'readme',
      'usr/share/man/man1/bash.1.gz': 'man',
      'usr/share/info/dir': 'info',
      'usr/share/locale/de/LC_MESSAGES/dpkg.mo': 'mo',
      'usr/share/locale/locale.alias': 'alias',
      'usr/lib/locale/C.utf8/LC_CTYPE': 'ctype',
      'var/log/dpkg.log': 'log',
      'var/log/apt/term.log': 'log',
      'var/lib/dpkg/status': 'status',
      'var/lib/dpkg/status-old': 'old',
      'var/cache/debconf/config.dat-old': 'old',
      'var/cache/debconf/config.dat': 'cfg',
      'var/cache/apt/pkgcache.bin': 'bin',
      'var/cache/apt/archives/bash_5.2_amd64.deb': 'deb',
      'var/lib/apt/lists/x_Packages': 'pkgs',
      'var/cache/ldconfig/aux-cache': 'aux',
      'etc/hostname': 'buildhost\n',
      'etc/resolv.conf': 'nameserver 192.0.2.53\n',
      'etc/machine-id': '0123456789abcdef\n',
      'etc/shadow': 'root:*:99999:0:99999:7:::\n',
      'etc/apt/sources.list': 'deb http://old/ x main\n',
      'etc/apt/apt.conf.d/01autoremove-kernels': 'kernel',
      'etc/dpkg/dpkg.cfg.d/.keep': '',
      'usr/sbin/.keep': '',
      'dev/null': '',
      'tmp/junk': 'junk',
    })) put(root, rel, content);
    mkdirSync(join(root, 'var'), { recursive: true });
    // Absolute links in a tree point at the host: trimming must never go through them.
    symlinkSync(outside, join(root, 'var/run'));
    symlinkSync('bash', join(root, 'usr/share/doc/bash-linked'));
    const script = join(base, 'install_packages');
    writeFileSync(script, '#!/bin/sh\necho hi\n');
    return { root, outside, script };
  }

  it('trims docs, man pages, translations, logs, caches and host identity', () => {
    const { root, outside, script } = fakeTree();
    trimTree(root, { suite: 'bookworm', mirror: MIRROR, securityMirror: SECURITY, epoch: 86400 * 100, installPackages: script });
    const has = (rel: string) => existsSync(join(root, rel)) || (() => { try { return lstatSync(join(root, rel)).isSymbolicLink(); } catch { return false; } })();
    const text = (rel: string) => readFileSync(join(root, rel), 'utf8');

    expect(has('usr/share/doc/bash/copyright')).toBe(true);
    expect(has('usr/share/doc/bash/changelog.Debian.gz')).toBe(false);
    expect(has('usr/share/doc/nocopyright')).toBe(false);
    expect(has('usr/share/doc/bash-linked')).toBe(true);
    expect(readdirSync(join(root, 'usr/share/man')).sort()).toEqual(['man1', 'man2', 'man3', 'man4', 'man5', 'man6', 'man7', 'man8']);
    expect(readdirSync(join(root, 'usr/share/man/man1'))).toEqual([]);
    expect(readdirSync(join(root, 'usr/share/info'))).toEqual([]);
    expect(readdirSync(join(root, 'usr/share/locale'))).toEqual(['locale.alias']);
    expect(has('usr/lib/locale/C.utf8/LC_CTYPE')).toBe(true);
    expect(readdirSync(join(root, 'var/log'))).toEqual(['apt']);
    expect(readdirSync(join(root, 'var/log/apt'))).toEqual([]);
    expect(has('var/lib/dpkg/status')).toBe(true);
    expect(has('var/lib/dpkg/status-old')).toBe(false);
    expect(has('var/cache/debconf/config.dat-old')).toBe(false);
    expect(has('var/cache/debconf/config.dat')).toBe(true);
    expect(readdirSync(join(root, 'var/cache/apt'))).toEqual([]);
    expect(readdirSync(join(root, 'var/lib/apt/lists'))).toEqual([]);
    expect(has('var/cache/ldconfig/aux-cache')).toBe(false);
    expect(has('etc/apt/apt.conf.d/01autoremove-kernels')).toBe(false);
    expect(readdirSync(join(root, 'dev'))).toEqual([]);
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);

    expect(text('etc/hostname')).toBe('');
    expect(text('etc/resolv.conf')).toBe('');
    expect(text('etc/machine-id')).toBe('');
    expect(text('etc/shadow')).toBe('root:*:100:0:99999:7:::\n');
    expect(text('etc/apt/sources.list')).toBe(sourcesListText(MIRROR, 'bookworm', SECURITY));
    expect(text('etc/dpkg/dpkg.cfg.d/minideb-excludes')).toBe(DPKG_EXCLUDES);
    expect(text('etc/apt/apt.conf.d/docker-no-recommends')).toBe(APT_CONF['docker-no-recommends']);
    expect(text('usr/sbin/install_packages')).toBe('#!/bin/sh\necho hi\n');
    expect(statSync(join(root, 'usr/sbin/install_packages')).mode & 0o777).toBe(0o755);
    expect(statSync(join(root, 'usr/sbin/policy-rc.d')).mode & 0o777).toBe(0o755);
    expect(statSync(root).mode & 0o777).toBe(0o755);

    // The host behind the absolute link is untouched.
    expect(readFileSync(join(outside, 'canary'), 'utf8')).toBe('host file');
  });

  it('never resolves paths through symlinks', () => {
    const { root } = fakeTree();
    expect(insideRoot(root, 'var/run/canary')).toBeUndefined();
    expect(insideRoot(root, 'var/run')).toBe(join(root, 'var/run'));
    expect(insideRoot(root, 'etc/../..')).toBeUndefined();
    expect(insideRoot(root, 'etc/new-file')).toBe(join(root, 'etc/new-file'));
    expect(insideRoot(root, 'no/such/dir/file')).toBeUndefined();
  });
});
