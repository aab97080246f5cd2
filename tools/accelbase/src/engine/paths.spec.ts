import { describe, expect, it, test } from 'vitest';
import { UserError } from '../errors.js';
import { resolveRunConfig, type RunEnv } from '../config/run-config.js';
import { instanceName } from '../config/engine-instance.js';
import { argOfHome, enginePaths, homeInstance, sharedHome } from './paths.js';

/** The engine home a run config derives (config/run-config.ts), as engine commands get it. */
const engineHome = (env: RunEnv, uid = 1000) => resolveRunConfig({}, env, { uid, home: '/home/u' }).engineHome;

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
    expect(p.instance).toBeUndefined();
  });
  it('puts an instance under <home>/instances/NAME; "default" and empty mean the default engine', () => {
    expect(engineHome({ ACCELBASE_ENGINE_HOME: '/e', ACCELBASE_INSTANCE: 'runner-a' }, 0)).toBe(
      '/e/instances/runner-a',
    );
    expect(engineHome({ ACCELBASE_ENGINE_HOME: '/e', ACCELBASE_INSTANCE: 'default' }, 0)).toBe('/e');
    expect(engineHome({ ACCELBASE_ENGINE_HOME: '/e', ACCELBASE_INSTANCE: ' ' }, 0)).toBe('/e');
  });
});

describe('an instance', () => {
  const p = enginePaths('/e/instances/b');
  const base = enginePaths('/e');

  it('has its own dockerd files, builders and state', () => {
    expect(p.instance).toBe('b');
    expect(p.shared).toBe('/e');
    for (const key of [
      'dataRoot',
      'execRoot',
      'socket',
      'pidfile',
      'dockerdLaunchPidfile',
      'containerdPidfile',
      'daemonJson',
      'dockerConfig',
      'state',
      'logs',
      'binOverride',
    ] as const) {
      expect(p[key], key).not.toBe(base[key]);
      expect(p[key].startsWith('/e/instances/b/'), key).toBe(true);
    }
    expect(p.containerdPidfile.startsWith(`${p.execRoot}/`)).toBe(true);
  });

  it('shares the prefix, its apt state and the registry with the default engine', () => {
    for (const key of [
      'prefix',
      'stamp',
      'aptDir',
      'sourcesList',
      'aptLists',
      'aptCache',
      'aptStatus',
      'debs',
      'registryPidfile',
      'registryConfig',
      'registryData',
    ] as const) {
      expect(p[key], key).toBe(base[key]);
    }
  });

  it('keeps its socket paths short enough for a unix socket', () => {
    const q = enginePaths(engineHome({ ACCELBASE_INSTANCE: 'abcdefghij0123456789' }, 0));
    expect(`${q.execRoot}/containerd/containerd.sock`.length).toBeLessThan(108);
    expect(q.socket.length).toBeLessThan(108);
  });

  test.each(['a', 'runner-a', 'arm64', '0', 'abcdefghij0123456789'])('name %s is accepted', (n) => {
    expect(instanceName(n)).toBe(n);
    expect(homeInstance(`/e/instances/${n}`)).toBe(n);
    expect(sharedHome(`/e/instances/${n}`)).toBe('/e');
  });

  test.each(['A', '-a', 'a-', 'a_b', 'a/b', '..', 'a.b', 'abcdefghij0123456789x', 'a b'])('name %j is refused', (n) => {
    expect(() => instanceName(n)).toThrow(UserError);
    expect(() => engineHome({ ACCELBASE_INSTANCE: n })).toThrow(/ACCELBASE_INSTANCE/);
  });
});

describe('argOfHome: which process arguments make a PID ours', () => {
  test.each([
    ['/e/daemon.json', '/e', true],
    ['--config-file=/e/daemon.json', '/e', true],
    ['/e/exec/containerd/containerd.toml', '/e', true],
    // the shared prefix binary runs every engine's dockerd; an instance's files are not the default's
    ['/e/prefix/usr/sbin/dockerd', '/e', false],
    ['/e/instances/b/daemon.json', '/e', false],
    ['/e/instances/b/daemon.json', '/e/instances/b', true],
    ['/e/instances/bc/daemon.json', '/e/instances/b', false],
    ['/e2/daemon.json', '/e', false],
    ['/x/e/daemon.json', '/e', false],
  ])('%s for %s: %s', (arg, home, ours) => {
    expect(argOfHome(arg, home)).toBe(ours);
  });
});
