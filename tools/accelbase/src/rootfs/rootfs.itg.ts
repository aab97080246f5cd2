// Engine tier: real debootstrap builds. Proves the tarball is reproducible (two cold builds and a cached
// one agree), that arm64 builds under qemu, and that an image made from the tarball runs.
import { envConfig } from '../test/run-config.js';
import {
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  closeSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../exec.js';
import { dockerBinary, engineEnv } from '../engine/client.js';
import { engineUp } from '../engine/engine.js';
import { buildRootfs, type RootfsResult } from './bootstrap.js';

const SUITE = 'bookworm';
const work = mkdtempSync(join(tmpdir(), 'accelbase-rootfs-itg-'));
const seconds = (start: number) => ((performance.now() - start) / 1000).toFixed(1);

/** Resolve a path inside an extracted tree, following its symlinks relative to the tree. */
function resolveInTree(root: string, path: string, depth = 0): string {
  if (depth > 20) throw new Error(`symlink loop at ${path}`);
  const parts = path.split('/').filter(Boolean);
  let cur = '/';
  for (let i = 0; i < parts.length; i++) {
    const next = posix.join(cur, parts[i]);
    const st = lstatSync(join(root, next));
    if (st.isSymbolicLink()) {
      const target = readlinkSync(join(root, next));
      const abs = target.startsWith('/') ? target : posix.join(cur, target);
      return resolveInTree(root, posix.join(abs, ...parts.slice(i + 1)), depth + 1);
    }
    cur = next;
  }
  return join(root, cur);
}

function elfMachine(file: string): number {
  const buf = Buffer.alloc(20);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, 20, 0);
  } finally {
    closeSync(fd);
  }
  expect(buf.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
  return buf.readUInt16LE(18);
}

interface TarEntry {
  type: string;
  size: number;
  mtime: number;
  name: string;
}

/** `tar -tv` lines as entries (UTC, full times, numeric owners). */
async function tarList(tar: string): Promise<TarEntry[]> {
  const out = await run('tar', ['--list', '--verbose', '--full-time', '--numeric-owner', '--file', tar], {
    env: { TZ: 'UTC' },
  });
  return out.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [perm, , size, date, time, ...rest] = line.split(/\s+/);
      const name = rest.join(' ').replace(/ (->|link to) .*$/, '');
      return { type: perm[0], size: Number(size), mtime: Date.parse(`${date}T${time}Z`) / 1000, name };
    });
}

describe(`rootfs ${SUITE}`, () => {
  let amd64: RootfsResult;
  let arm64: RootfsResult;

  beforeAll(async () => {
    await engineUp(envConfig());
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('amd64: two cold builds and a cached one give the same tarball', async () => {
    let start = performance.now();
    const first = await buildRootfs({
      config: envConfig(),
      suite: SUITE,
      arch: 'amd64',
      outFile: join(work, 'a1/rootfs-amd64.tar'),
      cache: false,
    });
    console.log(
      `amd64 cold #1 (no cache): ${seconds(start)} s, ${first.bytes} bytes (untrimmed ${first.untrimmedBytes}) sha256 ${first.sha256}`,
    );
    start = performance.now();
    const second = await buildRootfs({
      config: envConfig(),
      suite: SUITE,
      arch: 'amd64',
      outFile: join(work, 'a2/rootfs-amd64.tar'),
      refresh: true,
    });
    console.log(`amd64 cold #2 (refreshes the cache): ${seconds(start)} s, sha256 ${second.sha256}`);
    start = performance.now();
    const third = await buildRootfs({
      config: envConfig(),
      suite: SUITE,
      arch: 'amd64',
      outFile: join(work, 'a3/rootfs-amd64.tar'),
    });
    console.log(`amd64 cached: ${seconds(start)} s, sha256 ${third.sha256}`);
    expect(second.fromCache).toBe(false);
    expect(third.fromCache).toBe(true);
    expect(second.sha256).toBe(first.sha256);
    expect(third.sha256).toBe(first.sha256);
    expect(first.bytes).toBeLessThan(first.untrimmedBytes * 0.6);
    amd64 = first;
  });

  it('amd64: holds no downloads, logs, docs, host identity or caches', async () => {
    const entries = await tarList(amd64.path);
    const files = entries.filter((e) => e.type === '-').map((e) => e.name);
    const byName = new Map(entries.map((e) => [e.name, e]));
    expect(entries[0].name).toBe('./');
    expect(files.filter((n) => n.endsWith('.deb'))).toEqual([]);
    expect(files.filter((n) => n.startsWith('./var/log/'))).toEqual([]);
    expect(files.filter((n) => n.startsWith('./var/lib/apt/lists/') || n.startsWith('./var/cache/apt/'))).toEqual([]);
    expect(files.filter((n) => n.endsWith('-old'))).toEqual([]);
    expect(files).not.toContain('./var/cache/ldconfig/aux-cache');
    expect(files.filter((n) => n.startsWith('./usr/share/man/'))).toEqual([]);
    expect(files.filter((n) => n.startsWith('./usr/share/doc/') && !n.endsWith('/copyright'))).toEqual([]);
    expect(files).toContain('./usr/sbin/install_packages');
    expect(files).toContain('./etc/dpkg/dpkg.cfg.d/minideb-excludes');
    expect(byName.get('./etc/hostname')?.size).toBe(0);
    expect(byName.get('./etc/resolv.conf')?.size).toBe(0);
    expect(byName.get('./etc/machine-id')?.size ?? 0).toBe(0);
    expect(Math.max(...entries.map((e) => e.mtime))).toBeLessThanOrEqual(amd64.sourceDateEpoch);
    // Left out by dpkg, not by deleting files: neither their files nor their dpkg records are there.
    for (const pkg of ['tzdata', 'e2fsprogs', 'libext2fs2', 'mount'])
      expect(files).not.toContain(`./var/lib/dpkg/info/${pkg}.list`);
    expect(files.filter((n) => n.startsWith('./usr/share/zoneinfo/'))).toEqual([]);
    expect(files).not.toContain('./etc/localtime');
    // gconv: glibc's own list and its modules stay, the extra ones and the cache go.
    expect(files.some((n) => n.endsWith('/gconv/UTF-16.so'))).toBe(true);
    expect(
      files.filter((n) =>
        /\/gconv\/(EUC-JP\.so|gconv-modules\.cache|gconv-modules\.d\/gconv-modules-extra\.conf)$/.test(n),
      ),
    ).toEqual([]);
    // Every step is measured, and each took something out of a real minbase.
    expect(amd64.trimSteps.length).toBeGreaterThanOrEqual(8);
    for (const step of amd64.trimSteps) expect(step.bytes, step.step).toBeGreaterThan(0);
  });

  it('arm64: builds under qemu and /bin/sh is an aarch64 binary', async () => {
    const start = performance.now();
    arm64 = await buildRootfs({
      config: envConfig(),
      suite: SUITE,
      arch: 'arm64',
      outFile: join(work, 'b/rootfs-arm64.tar'),
    });
    console.log(
      `arm64 (${arm64.fromCache ? 'cached' : 'cold'}): ${seconds(start)} s, ${arm64.bytes} bytes (untrimmed ${arm64.untrimmedBytes}) sha256 ${arm64.sha256}`,
    );
    const tree = join(work, 'b/tree');
    mkdirSync(tree);
    await run('tar', ['--extract', '--file', arm64.path, '--directory', tree]);
    const sh = resolveInTree(tree, '/bin/sh');
    expect(elfMachine(sh)).toBe(0xb7); // EM_AARCH64
    expect(elfMachine(resolveInTree(tree, '/usr/bin/bash'))).toBe(0xb7);
  });

  it('an image made from the tarballs runs on both platforms with --network none', async () => {
    const env = engineEnv(envConfig());
    const docker = dockerBinary(envConfig().engineHome);
    const ctx = join(work, 'ctx');
    mkdirSync(ctx);
    linkSync(amd64.path, join(ctx, 'rootfs-amd64.tar'));
    linkSync(arm64.path, join(ctx, 'rootfs-arm64.tar'));
    writeFileSync(
      join(ctx, 'Dockerfile'),
      'FROM scratch\nARG TARGETARCH\nADD rootfs-${TARGETARCH}.tar /\nCMD ["bash"]\n',
    );
    for (const [platform, machine] of [
      ['linux/amd64', 'x86_64'],
      ['linux/arm64', 'aarch64'],
    ] as const) {
      const tag = `accelbase-itg/minideb:${SUITE}-${platform.split('/')[1]}`;
      await run(docker, ['buildx', 'build', '--platform', platform, '--load', '--tag', tag, ctx], {
        env,
        timeoutMs: 600_000,
      });
      const r = await run(
        docker,
        [
          'run',
          '--rm',
          '--network',
          'none',
          '--platform',
          platform,
          tag,
          'sh',
          '-c',
          'uname -m; test -x /usr/sbin/install_packages && echo ok',
        ],
        { env },
      );
      expect(r.stdout.trim().split('\n')).toEqual([machine, 'ok']);
    }
  });
});
