import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, test } from 'vitest';
import { UserError } from '../errors.js';
import { namespaceOption } from '../workflows/namespace.js';
import { type RunEnv, type RunFlags, resolveRunConfig } from './run-config.js';

const host = { uid: 1000, home: '/home/u' };
const resolve = (env: RunEnv, flags: RunFlags = {}) => resolveRunConfig(flags, env, host);

describe('resolveRunConfig', () => {
  test('an empty environment: the defaults', () => {
    expect(resolve({})).toEqual({
      registry: undefined,
      instance: undefined,
      engineBaseHome: '/home/u/.cache/accelbase/engine',
      engineHome: '/home/u/.cache/accelbase/engine',
      builder: undefined,
      cacheMode: undefined,
      provenance: 'false',
      debianMirror: undefined,
      debianSecurityMirror: undefined,
      debianKeyring: undefined,
      aptProxy: undefined,
      offline: false,
      logLevel: 'info',
      sourceDateEpoch: undefined,
      path: '/usr/sbin:/usr/bin:/sbin:/bin',
      dockerHost: undefined,
      cacheHome: '/home/u/.cache',
      signingKey: undefined,
    });
  });

  test('is frozen', () => {
    expect(Object.isFrozen(resolve({}))).toBe(true);
  });

  test('root keeps its engine under /var/cache', () => {
    expect(resolveRunConfig({}, {}, { uid: 0, home: '/root' }).engineHome).toBe('/var/cache/accelbase/engine');
  });

  test.each<[string, RunEnv, RunFlags, Partial<ReturnType<typeof resolve>>]>([
    ['ACCELBASE_REGISTRY', { ACCELBASE_REGISTRY: 'ex/ab' }, {}, { registry: 'ex/ab' }],
    ['--registry wins', { ACCELBASE_REGISTRY: 'ex/ab' }, { registry: 'other/ns' }, { registry: 'other/ns' }],
    ['an empty ACCELBASE_REGISTRY is none', { ACCELBASE_REGISTRY: '' }, {}, { registry: undefined }],
    [
      'ACCELBASE_INSTANCE under ACCELBASE_ENGINE_HOME',
      { ACCELBASE_ENGINE_HOME: ' /e ', ACCELBASE_INSTANCE: 'runner-a' },
      {},
      { instance: 'runner-a', engineBaseHome: '/e', engineHome: '/e/instances/runner-a' },
    ],
    [
      '--instance wins',
      { ACCELBASE_ENGINE_HOME: '/e', ACCELBASE_INSTANCE: 'runner-a' },
      { instance: 'b' },
      { instance: 'b', engineHome: '/e/instances/b' },
    ],
    [
      '--instance default is the default engine',
      { ACCELBASE_ENGINE_HOME: '/e', ACCELBASE_INSTANCE: 'runner-a' },
      { instance: 'default' },
      { instance: undefined, engineHome: '/e' },
    ],
    ['ACCELBASE_BUILDER', { ACCELBASE_BUILDER: ' multi ' }, {}, { builder: 'multi' }],
    [
      '--builder wins (the variable is not read)',
      { ACCELBASE_BUILDER: 'no good!' },
      { builder: 'b1' },
      { builder: 'b1' },
    ],
    ['ACCELBASE_CACHE', { ACCELBASE_CACHE: 'local' }, {}, { cacheMode: 'local' }],
    ['--cache wins', { ACCELBASE_CACHE: 'bogus' }, { cache: 'none' }, { cacheMode: 'none' }],
    ['ACCELBASE_PROVENANCE', { ACCELBASE_PROVENANCE: 'max' }, {}, { provenance: 'max' }],
    [
      'the Debian mirrors and keyring, trimmed',
      {
        ACCELBASE_DEBIAN_MIRROR: ' http://m.example/debian/ ',
        ACCELBASE_DEBIAN_SECURITY_MIRROR: 'http://s.example/ds',
        ACCELBASE_DEBIAN_KEYRING: 'k.gpg',
      },
      {},
      {
        debianMirror: 'http://m.example/debian/',
        debianSecurityMirror: 'http://s.example/ds',
        debianKeyring: 'k.gpg',
      },
    ],
    ['ACCELBASE_APT_PROXY', { ACCELBASE_APT_PROXY: ' off ' }, {}, { aptProxy: 'off' }],
    ['ACCELBASE_OFFLINE=1', { ACCELBASE_OFFLINE: '1' }, {}, { offline: true }],
    ['ACCELBASE_OFFLINE other than 1', { ACCELBASE_OFFLINE: 'yes' }, {}, { offline: false }],
    ['ACCELBASE_LOG', { ACCELBASE_LOG: 'debug' }, {}, { logLevel: 'debug' }],
    ['an unknown ACCELBASE_LOG logs as info', { ACCELBASE_LOG: 'loud' }, {}, { logLevel: 'info' }],
    ['--quiet wins', { ACCELBASE_LOG: 'debug' }, { quiet: true }, { logLevel: 'quiet' }],
    ['--json keeps progress on', { ACCELBASE_LOG: 'quiet' }, { json: true }, { logLevel: 'info' }],
    ['--debug wins', { ACCELBASE_LOG: 'quiet' }, { debug: true, quiet: true }, { logLevel: 'debug' }],
    ['SOURCE_DATE_EPOCH', { SOURCE_DATE_EPOCH: ' 1700000000 ' }, {}, { sourceDateEpoch: 1700000000 }],
    ['a SOURCE_DATE_EPOCH that is not seconds', { SOURCE_DATE_EPOCH: 'soon' }, {}, { sourceDateEpoch: undefined }],
    [
      'PATH and DOCKER_HOST',
      { PATH: '/bin', DOCKER_HOST: ' unix:///d.sock ' },
      {},
      { path: '/bin', dockerHost: 'unix:///d.sock' },
    ],
    ['XDG_CACHE_HOME', { XDG_CACHE_HOME: '/c' }, {}, { cacheHome: '/c' }],
    ['ACCELBASE_SIGNING_KEY', { ACCELBASE_SIGNING_KEY: '/k.pem' }, {}, { signingKey: '/k.pem' }],
  ])('%s', (_, env, flags, want) => {
    expect(resolve(env, flags)).toMatchObject(want);
  });

  test.each<[RunEnv, string]>([
    [{ ACCELBASE_INSTANCE: 'A_b' }, 'ACCELBASE_INSTANCE "A_b": expected 1 to 20 of a-z'],
    [{ ACCELBASE_BUILDER: 'no good!' }, 'ACCELBASE_BUILDER=no good!: not a buildx builder name'],
    [{ ACCELBASE_CACHE: 'bogus' }, 'ACCELBASE_CACHE=bogus: expected registry, local, none'],
    [{ ACCELBASE_PROVENANCE: 'true' }, 'ACCELBASE_PROVENANCE=true: expected false, min or max'],
  ])('%j is refused as before', (env, message) => {
    expect(() => resolve(env)).toThrow(UserError);
    expect(() => resolve(env)).toThrow(message);
  });

  // The namespace grammar is the catalog's (a layer above config): it is checked where the workspace
  // opens, as before the run config, so the config carries the value as given.
  test('an invalid ACCELBASE_REGISTRY is refused where the workspace opens, as before', () => {
    const { registry } = resolve({ ACCELBASE_REGISTRY: 'Not A Namespace' });
    expect(registry).toBe('Not A Namespace');
    expect(() => namespaceOption(registry)).toThrow(UserError);
    expect(() => namespaceOption(registry)).toThrow('--registry "Not A Namespace" is not a registry namespace');
  });
});

const SRC = join(import.meta.dirname, '..');
const READS_ENV = /\bprocess\s*(?:\.\s*env\b|\[\s*['"`]env['"`]\s*\])/g;

/** What ships: the sources under src, less tests, test helpers and fixtures. */
function shippedSources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' || path === join(SRC, 'test') ? [] : shippedSources(path);
    return /\.ts$/.test(e.name) && !/\.(?:spec|itg)\.ts$/.test(e.name) ? [path] : [];
  });
}

test('only the run config reads process.env (main hands it over, once)', () => {
  const files = shippedSources();
  expect(files).toContain(join(SRC, 'config', 'run-config.ts'));
  const readers = files
    .filter((f) => !f.endsWith(`${sep}config${sep}run-config.ts`))
    .flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      const reads = text.match(READS_ENV)?.length ?? 0;
      const handsOver =
        relative(SRC, f) === join('cli', 'main.ts') ? text.split('resolveRunConfig(flags, process.env)').length - 1 : 0;
      return reads > handsOver || handsOver > 1 ? [relative(SRC, f)] : [];
    });
  expect(readers).toEqual([]);
});
