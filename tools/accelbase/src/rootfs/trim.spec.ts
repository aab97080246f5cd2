import {
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APT_CONF, DPKG_EXCLUDES, sourcesListText } from './image-files.js';
import { insideRoot, treeTarBytes } from './tree.js';
import { trimGconv, trimTree } from './trim.js';

const MIRROR = 'http://archive.example.invalid/debian';
const SECURITY = 'http://archive.example.invalid/debian-security';

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
      'usr/share/gdb/auto-load/usr/lib/libstdc++.so.6.0.30-gdb.py': 'py',
      'usr/share/gcc/python/libstdcxx/__init__.py': 'py',
      'usr/share/bash-completion/completions/apt': 'complete',
    }))
      put(root, rel, content);
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
    trimTree(root, {
      suite: 'bookworm',
      mirror: MIRROR,
      securityMirror: SECURITY,
      epoch: 86400 * 100,
      installPackages: script,
    });
    const has = (rel: string) =>
      existsSync(join(root, rel)) ||
      (() => {
        try {
          return lstatSync(join(root, rel)).isSymbolicLink();
        } catch {
          return false;
        }
      })();
    const text = (rel: string) => readFileSync(join(root, rel), 'utf8');

    expect(has('usr/share/doc/bash/copyright')).toBe(true);
    expect(has('usr/share/doc/bash/changelog.Debian.gz')).toBe(false);
    expect(has('usr/share/doc/nocopyright')).toBe(false);
    expect(has('usr/share/doc/bash-linked')).toBe(true);
    expect(readdirSync(join(root, 'usr/share/man')).sort()).toEqual([
      'man1',
      'man2',
      'man3',
      'man4',
      'man5',
      'man6',
      'man7',
      'man8',
    ]);
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
    for (const rel of ['usr/share/gdb', 'usr/share/gcc', 'usr/share/bash-completion']) expect(has(rel)).toBe(false);

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

  const GCONV = 'usr/lib/x86_64-linux-gnu/gconv';
  function addGconv(root: string, split: boolean) {
    const main =
      '# comment\nalias ISO-IR-100// ISO-8859-1//\nmodule ISO-8859-1// INTERNAL ISO8859-1 1\nmodule INTERNAL ISO-8859-1// ISO8859-1 1\nmodule UTF-16// INTERNAL UTF-16 1\n';
    const extra = 'module EUC-JP// INTERNAL EUC-JP 1\nmodule EUC-KR// INTERNAL EUC-KR 1\n';
    put(root, `${GCONV}/gconv-modules`, split ? main : main + extra);
    if (split) put(root, `${GCONV}/gconv-modules.d/gconv-modules-extra.conf`, extra);
    for (const so of ['ISO8859-1.so', 'UTF-16.so', 'EUC-JP.so', 'EUC-KR.so', 'libJIS.so'])
      put(root, `${GCONV}/${so}`, 'x'.repeat(1000));
    put(root, `${GCONV}/gconv-modules.cache`, 'cache');
  }
  const emptyRoot = () => {
    const root = mkdtempSync(join(tmpdir(), 'accelbase-tree-'));
    dirs.push(root);
    return root;
  };

  it("keeps the gconv modules glibc's own list names and drops the extra list, its modules and the cache", () => {
    const root = emptyRoot();
    addGconv(root, true);
    trimGconv(root);
    expect(readdirSync(join(root, GCONV)).sort()).toEqual([
      'ISO8859-1.so',
      'UTF-16.so',
      'gconv-modules',
      'gconv-modules.d',
    ]);
    expect(readdirSync(join(root, GCONV, 'gconv-modules.d'))).toEqual([]);
  });

  it('leaves a one-file gconv list (bullseye) as it is', () => {
    const root = emptyRoot();
    addGconv(root, false);
    const before = readdirSync(join(root, GCONV)).sort();
    trimGconv(root);
    expect(readdirSync(join(root, GCONV)).sort()).toEqual(before);
  });

  it('reports what each size step took out of the tarball', () => {
    const { root, script } = fakeTree();
    addGconv(root, true);
    const steps = trimTree(root, { suite: 'trixie', mirror: MIRROR, epoch: 86400 * 100, installPackages: script });
    expect(steps.map((s) => s.step)).toEqual([
      'caches, package lists, logs, backups, man pages and info',
      'translations (/usr/share/locale but locale.alias)',
      '/usr/share/doc but copyright files',
      'gconv modules beyond the common charsets',
      'debugger scripts and shell completions (/usr/share/gdb, gcc, bash-completion)',
    ]);
    // de/, de/LC_MESSAGES/ and dpkg.mo: three headers and one data block.
    expect(steps[1].bytes).toBe(4 * 512);
    // Three 1000-byte modules (a header and two blocks each), the extra list and the cache (a header and a block each).
    expect(steps[3].bytes).toBe(3 * (512 + 1024) + 2 * (512 + 512));
    expect(steps.every((s) => s.bytes > 0)).toBe(true);
  });

  it('counts a hard-linked file once', () => {
    const root = emptyRoot();
    put(root, 'a', 'x'.repeat(600));
    linkSync(join(root, 'a'), join(root, 'b'));
    expect(treeTarBytes(root)).toBe(512 + 1024 + 512);
  });
});
