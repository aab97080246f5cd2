import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import {
  DAEMON_CONFIG,
  ENGINE_PACKAGES,
  aptOptions,
  aptSourcesText,
  binfmtRegistration,
  daemonJson,
  debianArch,
  downloadArgs,
  engineHome,
  enginePaths,
  formatStamp,
  formatState,
  parsePlatforms,
  parseStamp,
  parseState,
  parseVersion,
  registryConfigText,
  stampComplete,
  versionAtLeast,
  type EngineState,
} from './engine.js';

// A made-up archive: tests never name a real mirror.
const MIRROR = 'http://archive.example.invalid/debian';

describe('daemon.json', () => {
  it('is exactly the network-free configuration', () => {
    expect(daemonJson()).toBe(
      '{"features":{"containerd-snapshotter":true},"bridge":"none","iptables":false,"ip-masq":false,"ip6tables":false}\n',
    );
    expect(JSON.parse(daemonJson())).toEqual(DAEMON_CONFIG);
  });
});

describe('engineHome', () => {
  it('honours ACCELBASE_ENGINE_HOME', () => {
    expect(engineHome({ ACCELBASE_ENGINE_HOME: '/srv/engine' }, 1000)).toBe('/srv/engine');
  });
  it('uses /var/cache for root and ~/.cache otherwise', () => {
    expect(engineHome({}, 0)).toBe('/var/cache/accelbase/engine');
    expect(engineHome({}, 1000)).toMatch(/\/\.cache\/accelbase\/engine$/);
  });
  it('keeps every path under the home', () => {
    const p = enginePaths('/e');
    for (const v of Object.values(p)) expect(v.startsWith('/e')).toBe(true);
    expect(p.socket).toBe('/e/docker.sock');
  });
});

describe('private apt configuration', () => {
  it('lists one signed line per suite, from the given mirror', () => {
    const text = aptSourcesText(`${MIRROR}/`);
    const lines = text.split('\n').filter((l) => l.startsWith('deb '));
    expect(lines).toEqual([
      `deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${MIRROR} trixie main`,
      `deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${MIRROR} forky main`,
      `deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${MIRROR} bookworm main`,
    ]);
  });

  it('points apt only at the engine folder', () => {
    const p = enginePaths('/e');
    const opts = aptOptions(p, 'amd64');
    const pairs = new Map<string, string>();
    for (let i = 0; i < opts.length; i += 2) {
      expect(opts[i]).toBe('-o');
      const [k, ...v] = opts[i + 1].split('=');
      pairs.set(k, v.join('='));
    }
    expect(pairs.get('Dir::Etc::sourcelist')).toBe('/e/apt/sources.list');
    expect(pairs.get('Dir::Etc::sourceparts')).toBe('-');
    expect(pairs.get('Dir::State::Lists')).toBe('/e/apt/lists');
    expect(pairs.get('Dir::Cache')).toBe('/e/apt/cache');
    expect(pairs.get('Dir::State::status')).toBe('/e/apt/status');
    expect(pairs.get('APT::Architecture')).toBe('amd64');
  });

  it('downloads each part from its suite', () => {
    const args = downloadArgs();
    expect(args).toContain('docker.io/trixie');
    expect(args).toContain('docker-cli/trixie');
    expect(args).toContain('containerd/trixie');
    expect(args).toContain('docker-buildx/forky');
    for (const p of ['runc', 'qemu-user-static', 'binfmt-support', 'debootstrap', 'docker-registry']) expect(args).toContain(`${p}/bookworm`);
    expect(args.length).toBe(ENGINE_PACKAGES.flatMap((p) => p.packages).length);
  });
});

describe('stamp', () => {
  const all = ENGINE_PACKAGES.flatMap((p) => p.packages.map((name) => ({ name, version: '1.0-1', suite: p.suite })));

  it('round-trips and is sorted', () => {
    const text = formatStamp([...all].reverse());
    expect(parseStamp(text)).toEqual([...all].sort((a, b) => a.name.localeCompare(b.name)));
    expect(text.split('\n')[0]).toBe('binfmt-support 1.0-1 bookworm');
  });

  it('is complete only with every package from its planned suite', () => {
    expect(stampComplete(all)).toBe(true);
    expect(stampComplete(all.filter((e) => e.name !== 'runc'))).toBe(false);
    expect(stampComplete(all.map((e) => (e.name === 'runc' ? { ...e, suite: 'trixie' } : e)))).toBe(false);
    expect(stampComplete(parseStamp('# empty\n\n'))).toBe(false);
  });
});

describe('versions', () => {
  it('reads versions out of tool output', () => {
    expect(parseVersion('0.29.1+ds1 1b6a5e0')).toBe('0.29.1');
    expect(parseVersion('v0.13.1 abc')).toBe('0.13.1');
    expect(parseVersion('Docker version 26.1.5+dfsg1, build 411e817')).toBe('26.1.5');
    expect(parseVersion('no version here')).toBeUndefined();
  });

  it('compares against the buildx minimum', () => {
    expect(versionAtLeast('0.29.1', '0.14.0')).toBe(true);
    expect(versionAtLeast('0.14.0', '0.14.0')).toBe(true);
    expect(versionAtLeast('0.13.1', '0.14.0')).toBe(false);
    expect(versionAtLeast('0.9', '0.14.0')).toBe(false);
    expect(versionAtLeast(undefined, '0.14.0')).toBe(false);
  });
});

describe('parsePlatforms', () => {
  it('reads the Platforms line of buildx inspect, dropping * marks', () => {
    const out = [
      'Name:          default',
      'Driver:        docker',
      '',
      'Nodes:',
      'Name:             default',
      'Status:           running',
      'BuildKit version: v0.13.2',
      'Platforms:        linux/amd64, linux/amd64/v2, linux/arm64*, linux/386',
    ].join('\n');
    expect(parsePlatforms(out)).toEqual(['linux/amd64', 'linux/amd64/v2', 'linux/arm64', 'linux/386']);
    expect(parsePlatforms('')).toEqual([]);
  });
});

describe('state file', () => {
  const state: EngineState = {
    version: 1,
    managed: true,
    dockerHost: 'unix:///e/docker.sock',
    client: '/e/prefix/usr/bin/docker',
    socket: '/e/docker.sock',
    registryUrl: 'http://127.0.0.1:5000',
    pids: { dockerd: 1234, containerd: 1240, registry: 1300 },
    startedAt: '2026-01-01T00:00:00.000Z',
  };

  it('round-trips', () => {
    expect(parseState(formatState(state))).toEqual(state);
  });

  it('rejects what it cannot trust', () => {
    expect(() => parseState('{')).toThrow(UserError);
    expect(() => parseState(JSON.stringify({ ...state, version: 2 }))).toThrow(/version/);
    expect(() => parseState(JSON.stringify({ ...state, pids: { dockerd: 1 } }))).toThrow(/pid dockerd/);
    expect(() => parseState(JSON.stringify({ ...state, pids: { dockerd: '12' } }))).toThrow(/pid dockerd/);
    expect(() => parseState(JSON.stringify({ ...state, managed: 'yes' }))).toThrow(/managed/);
  });
});

describe('registry and binfmt', () => {
  it('serves the registry on loopback only, storing under the given folder', () => {
    const text = registryConfigText('/e/registry');
    expect(text).toContain('  addr: 127.0.0.1:5000\n');
    expect(text).toContain('rootdirectory: "/e/registry"');
  });

  it('registers arm64 ELF binaries with the fix-binary flag', () => {
    const line = binfmtRegistration('/e/prefix/usr/bin/qemu-aarch64-static');
    const [, name, type, offset, magic, mask, interp, flags] = line.split(':');
    expect([name, type, offset]).toEqual(['qemu-aarch64', 'M', '']);
    expect(magic).toBe('\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00');
    expect(mask.split('\\x').length).toBe(magic.replace('ELF', '\\x45\\x4c\\x46').split('\\x').length);
    expect(interp).toBe('/e/prefix/usr/bin/qemu-aarch64-static');
    expect(flags).toContain('F');
  });

  it("maps Node's architectures to Debian's", () => {
    expect(debianArch('x64')).toBe('amd64');
    expect(debianArch('arm64')).toBe('arm64');
    expect(() => debianArch('mips')).toThrow(UserError);
  });
});
