// SODALITE input files as their users write them: fixtures in the shapes of SODALITE-EU/image-builder's
// own files (fixtures/sodalite, see its NOTICE.md) and one file per remaining shape, each parsed into the
// same model accelbase's own format gives.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CatalogError, formatIssue } from '../errors.js';
import { parseVariantsFile, type VariantsFile } from './file.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'sodalite', name), 'utf8');
const summary = (vf: VariantsFile) => ({
  format: vf.format,
  source: vf.source,
  variants: vf.variants.map((v) => [`${v.image}:${v.tag}`, v.base ?? null, v.platforms ?? null]),
  login: vf.login ? { host: vf.login.host, user: vf.login.username } : null,
  warnings: vf.warnings.map(formatIssue),
});
const CRED =
  'credentials belong in the credential store (docker login docker.io), not in the variants file; used once through a temporary DOCKER_CONFIG';

describe('files in the shapes SODALITE writes', () => {
  test.each([
    [
      'git_workdir_dockerfile.json',
      {
        format: 'sodalite',
        // The Dockerfile is relative to the repository root, the workdir is the context.
        source: {
          kind: 'git',
          url: 'https://git.example.org/apps/greeter.git',
          ref: 'HEAD',
          subdir: 'code_dir',
          dockerfile: 'docker_dir/Dockerfile',
        },
        variants: [['docker.io/apps/greeter:latest', null, null]],
        login: { host: 'docker.io', user: 'app-bot' },
        warnings: [`f:18:7 target.registry.username: ${CRED}`, `f:19:7 target.registry.password: ${CRED}`],
      },
    ],
    [
      'multi-arch_image-variants.json',
      {
        format: 'sodalite',
        source: {
          kind: 'git',
          url: 'https://git.example.org/apps/hello.git',
          ref: 'HEAD',
          subdir: '.',
          dockerfile: 'Dockerfile',
        },
        // No registry block: the image is taken as written (the host would be inside it).
        variants: [
          ['apps/hello:latest', null, ['linux/amd64', 'linux/arm64']],
          ['apps/hello:python-3.8', 'python:3.8-alpine', ['linux/amd64', 'linux/arm64']],
        ],
        login: null,
        warnings: [
          'f:14:11 target.images.0.platforms.1: linux/386 skipped: accelbase builds linux/amd64 and linux/arm64 only',
          'f:16:11 target.images.0.platforms.3: linux/ppc64le skipped: accelbase builds linux/amd64 and linux/arm64 only',
          'f:17:11 target.images.0.platforms.4: linux/s390x skipped: accelbase builds linux/amd64 and linux/arm64 only',
          'f:18:11 target.images.0.platforms.5: linux/arm/v7 skipped: accelbase builds linux/amd64 and linux/arm64 only',
          'f:19:11 target.images.0.platforms.6: linux/arm/v6 skipped: accelbase builds linux/amd64 and linux/arm64 only',
          'f:29:11 target.images.1.platforms.2: linux/arm/v7 skipped: accelbase builds linux/amd64 and linux/arm64 only',
          'f:30:11 target.images.1.platforms.3: linux/arm/v6 skipped: accelbase builds linux/amd64 and linux/arm64 only',
        ],
      },
    ],
    [
      'dockerfile_build_context.json',
      {
        format: 'sodalite',
        source: {
          kind: 'git',
          url: 'https://git.example.org/apps/context.git',
          ref: 'HEAD',
          subdir: '.',
          dockerfile: 'Dockerfile',
          dockerfileUrl: 'https://files.example.org/apps/context/Dockerfile',
        },
        variants: [['docker.io/apps/context:latest', null, null]],
        login: { host: 'docker.io', user: 'app-bot' },
        warnings: [`f:19:7 target.registry.username: ${CRED}`, `f:20:7 target.registry.password: ${CRED}`],
      },
    ],
    [
      'edgetpu-exporter-variants.yaml',
      {
        format: 'sodalite',
        source: {
          kind: 'git',
          url: 'https://git.example.org/apps/tpu-exporter',
          ref: 'HEAD',
          subdir: '.',
          dockerfile: 'Dockerfile',
        },
        variants: [
          ['docker.io/apps/tpu-exporter:latest', null, null],
          ['docker.io/apps/tpu-exporter:go1.13', 'golang:1.13', null],
        ],
        login: { host: 'docker.io', user: 'app-bot' },
        warnings: [`f:15:5 target.registry.password: ${CRED}`, `f:17:5 target.registry.username: ${CRED}`],
      },
    ],
  ])('%s', (name, expected) => {
    expect(summary(parseVariantsFile('f', fixture(name)))).toEqual(expected);
  });
});

describe('every other SODALITE shape', () => {
  const images = 'target:\n  images:\n    - image: 127.0.0.1:5000/app-authors/app\n      tag: std\n';
  test.each([
    [
      'base left out, registry url with http://',
      `source:\n  dockerfile: { url: Dockerfile }\ntarget:\n  registry: { url: "http://127.0.0.1:5000/" }\n  images:\n    - { image: app-authors/app, tag: std }\n`,
      ['127.0.0.1:5000/app-authors/app:std', null, null],
    ],
    [
      'registry url without a scheme, base given',
      `source:\n  dockerfile: { url: Dockerfile }\ntarget:\n  registry: { url: "127.0.0.1:5000" }\n  images:\n    - { image: app-authors/app, tag: max, base: acceleratorbase/edgetpu-max }\n`,
      ['127.0.0.1:5000/app-authors/app:max', 'acceleratorbase/edgetpu-max', null],
    ],
    [
      'no registry block, host inside image',
      `source:\n  dockerfile: { url: Dockerfile }\n${images}`,
      ['127.0.0.1:5000/app-authors/app:std', null, null],
    ],
    [
      'a git source alone tells the format',
      `source:\n  git_repo: { url: "file:///srv/app" }\n${images}`,
      ['127.0.0.1:5000/app-authors/app:std', null, null],
    ],
    [
      'a JSON file',
      JSON.stringify({
        source: { dockerfile: { url: 'Dockerfile' } },
        target: { images: [{ image: '127.0.0.1:5000/app-authors/app', tag: 'std', platforms: ['linux/arm64'] }] },
      }),
      ['127.0.0.1:5000/app-authors/app:std', null, ['linux/arm64']],
    ],
  ])('%s', (_name, text, variant) => {
    const vf = parseVariantsFile('s.yaml', text);
    expect(vf.format).toBe('sodalite');
    expect(summary(vf).variants).toEqual([variant]);
  });

  test('a JSON file indented with tabs', () => {
    const text = JSON.stringify(
      {
        source: { git_repo: { url: 'https://git.example/app.git', dockerfile: 'docker/Dockerfile', workdir: 'code' } },
        target: { images: [{ image: 'r.example/app', tag: 't' }] },
      },
      null,
      '\t',
    );
    expect(parseVariantsFile('s.json', text).source).toEqual({
      kind: 'git',
      url: 'https://git.example/app.git',
      ref: 'HEAD',
      subdir: 'code',
      dockerfile: 'docker/Dockerfile',
    });
  });
});

describe('SODALITE values stay checked before they reach a Dockerfile or a shell', () => {
  const file = (over: string) =>
    `source:\n  dockerfile: { url: ${over} }\ntarget:\n  registry: { url: "127.0.0.1:5000", username: u, password: "p w" }\n  images:\n    - { image: app, tag: std }\n`;
  test.each([
    [
      'a Dockerfile URL over http',
      file('"http://evil.example/Dockerfile"'),
      's.yaml:2:22 source.dockerfile.url: not a valid https URL (plain characters only)',
    ],
    [
      'a shell in the Dockerfile URL',
      file('"https://x.example/$(id)"'),
      's.yaml:2:22 source.dockerfile.url: not a valid https URL (plain characters only)',
    ],
    [
      'a password with a space',
      file('Dockerfile'),
      's.yaml:4:61 target.registry.password: not a credential (printable ASCII, no spaces)',
    ],
    [
      'a base with a newline',
      file('Dockerfile').replace('tag: std', 'tag: std, base: "a\\nRUN id"'),
      's.yaml:6:37 target.images.0.base: not an image reference',
    ],
    [
      'a platform with a shell',
      file('Dockerfile').replace('tag: std', 'tag: std, platforms: ["linux/amd64;id"]'),
      's.yaml:6:43 target.images.0.platforms.0: not a platform (os/arch[/variant])',
    ],
    [
      'credentials on the git source',
      'source:\n  git_repo: { url: "https://git.example/a", password: x }\ntarget:\n  images: [{ image: app, tag: std }]\n',
      's.yaml:2:55 source.git_repo.password: credentials never sit in the variants file: use docker login (the credential store) or environment variables',
    ],
    [
      'a login without its password',
      file('Dockerfile').replace(', password: "p w"', ''),
      's.yaml:4:3 target.registry: a registry login needs both username and password',
    ],
    [
      'the same tag twice',
      file('Dockerfile')
        .replace('images:\n', 'images:\n    - { image: app, tag: std }\n')
        .replace(', password: "p w"', ', password: pw'),
      's.yaml:7:26 target.images.1.tag: tag "std" is already used by variant 0',
    ],
  ])('%s', (_name, text, message) => {
    const e = (() => {
      try {
        parseVariantsFile('s.yaml', text);
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(CatalogError);
    expect((e as CatalogError).message.split('\n')).toContain(message);
  });
});
