import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CatalogError } from '../errors.js';
import { parseCatalog } from './load.js';

const fixture = readFileSync(join(import.meta.dirname, 'fixtures', 'catalog.yaml'), 'utf8');
const scripts = new Set(['onnxruntime.py']);

/** Apply one text edit to the fixture; the edit must match exactly once so tables stay honest. */
function edit(from: string, to: string): string {
  const at = fixture.indexOf(from);
  if (at < 0 || fixture.indexOf(from, at + 1) >= 0) throw new Error(`edit target not unique: ${from}`);
  return fixture.slice(0, at) + to + fixture.slice(at + from.length);
}

function errorsOf(text: string): string[] {
  try {
    parseCatalog('catalog.yaml', text, scripts);
  } catch (e) {
    if (e instanceof CatalogError) return e.message.split('\n');
    throw e;
  }
  return [];
}

describe('the fixture catalog', () => {
  test('is valid and flattens to one image per variant and minideb suite', () => {
    const { model } = parseCatalog('catalog.yaml', fixture, scripts);
    expect([...model.images.keys()]).toEqual([
      'minideb-trixie',
      'minideb-bullseye',
      'opencl-pocl',
      'opencl-app',
      'vendor-std',
    ]);
    const app = model.images.get('opencl-app')!;
    expect(app).toMatchObject({ base: 'opencl-pocl', dist: 'trixie', platforms: ['linux/amd64'] });
    const vendor = model.images.get('vendor-std')!;
    expect(vendor).toMatchObject({
      base: 'minideb-bullseye',
      dist: 'bullseye',
      device: 'usb',
      platforms: ['linux/amd64'],
    });
    expect(vendor.smoke.timeout).toBe(120);
  });
});

describe('bad input names file, line and column', () => {
  test.each([
    [
      'syntax error',
      'version: 1\n',
      'version: [1\n',
      ['catalog.yaml:3:1 registry: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ],
    [
      'unknown base image',
      'base: opencl-pocl',
      'base: opencl-pocll',
      [
        'catalog.yaml:51:15 accelerators.opencl.variants.app.base: unknown image "opencl-pocll" (did you mean "opencl-pocl"?); valid bases: minideb, minideb:trixie, minideb:bullseye, opencl-pocl, opencl-app, vendor-std',
      ],
    ],
    [
      'unknown minideb suite',
      'base: minideb:trixie',
      'base: minideb:bookworm',
      [
        'catalog.yaml:42:15 accelerators.opencl.variants.pocl.base: minideb is not built for distribution "bookworm" (minideb.distributions: trixie, bullseye)',
      ],
    ],
    [
      'shell injection in a package name',
      'packages: [pocl-opencl-icd, clinfo]',
      'packages: [pocl-opencl-icd, "foo; curl x | sh"]',
      [
        'catalog.yaml:44:37 accelerators.opencl.variants.pocl.packages.1: "foo; curl x | sh" is not a valid debian package name',
      ],
    ],
    [
      'newline in an env value',
      'OCL_ICD_VENDORS: /etc/OpenCL/vendors',
      'OCL_ICD_VENDORS: "a\\nb"',
      [
        'catalog.yaml:46:28 accelerators.opencl.variants.pocl.env.OCL_ICD_VENDORS: not a valid value (no quotes, backslashes, $, backticks or control characters)',
      ],
    ],
    [
      'bad env name',
      'OCL_ICD_VENDORS:',
      '1BAD-NAME:',
      [
        'catalog.yaml:46:11 accelerators.opencl.variants.pocl.env.1BAD-NAME: invalid name: not a valid environment variable name',
      ],
    ],
    [
      'unknown field',
      '    description: OpenCL on the CPU\n',
      '    description: OpenCL on the CPU\n    colour: blue\n',
      [
        'catalog.yaml:40:5 accelerators.opencl.colour: unknown field "colour"; valid fields here: description, defaults, variants',
      ],
    ],
    [
      'empty semver range',
      'version: ">=1.26 <3"',
      'version: ">=3 <1"',
      [
        'catalog.yaml:54:51 accelerators.opencl.variants.app.packages.0.version: version range ">=3 <1" matches no version',
      ],
    ],
    [
      'python constraint on the wrong suite',
      'base: minideb:bullseye',
      'base: minideb:trixie',
      [
        'catalog.yaml:82:13 accelerators.vendor.variants.std.packages.1: package "python3-vendor" needs Python <3.10, but trixie has Python 3.13',
      ],
    ],
    [
      'vendor repo without arm64',
      '      base: minideb:bullseye\n      platforms: [linux/amd64]\n',
      '      base: minideb:bullseye\n',
      [
        'catalog.yaml:80:13 accelerators.vendor.variants.std.packages.0: source "vendor" has no arm64 build, so "vendor-std" cannot target linux/arm64',
        'catalog.yaml:81:13 accelerators.vendor.variants.std.packages.1: source "vendor" has no arm64 build, so "vendor-std" cannot target linux/arm64',
      ],
    ],
    [
      'base cycle',
      'base: opencl-pocl',
      'base: opencl-app',
      ['catalog.yaml:51:15 accelerators.opencl.variants.app.base: base cycle: opencl-app -> opencl-app'],
    ],
    [
      'tag with a newline in the namespace',
      'namespace: example',
      'namespace: "exa\\nmple"',
      [
        'catalog.yaml:4:14 registry.namespace: not a valid registry namespace like acceleratorbase or 127.0.0.1:5000/acceleratorbase',
      ],
    ],
    [
      'bad URL',
      'url: https://vendor.example.com/apt',
      'url: "https://vendor.example.com/apt $(id)"',
      [
        'catalog.yaml:25:10 sources.vendor.url: not a valid https URL, or http to 127.0.0.1 or localhost (plain characters only)',
      ],
    ],
    [
      'plain http to another host',
      'url: https://vendor.example.com/apt',
      'url: http://vendor.example.com/apt',
      [
        'catalog.yaml:25:10 sources.vendor.url: not a valid https URL, or http to 127.0.0.1 or localhost (plain characters only)',
      ],
    ],
    [
      'missing device-query script',
      'script: onnxruntime.py',
      'script: missing.py',
      [
        'catalog.yaml:62:19 accelerators.opencl.variants.app.smoke.script: no such device-query script generators/device-queries/missing.py; scripts there: onnxruntime.py',
      ],
    ],
    [
      'bad regex',
      'expect: "Device #0"',
      'expect: "Device (#0"',
      [
        'catalog.yaml:49:19 accelerators.opencl.variants.pocl.smoke.expect: not a valid regular expression: Invalid regular expression: /Device (#0/: Unterminated group',
      ],
    ],
    [
      'unknown source',
      '{ name: firmware-misc, source: nonfree }',
      '{ name: firmware-misc, source: nonfre }',
      [
        'catalog.yaml:56:44 accelerators.opencl.variants.app.packages.2.source: unknown source "nonfre" (did you mean "nonfree"?); sources in the catalog: debian, nonfree, vendor, pypi, npm',
      ],
    ],
    [
      'runtime not among the packages',
      'runtime: pocl-opencl-icd',
      'runtime: pocl',
      [
        'catalog.yaml:43:18 accelerators.opencl.variants.pocl.runtime: runtime "pocl" is not one of the image\'s packages',
      ],
    ],
    [
      'an accelerator that installs nothing',
      '        runtime: pocl-opencl-icd\n        packages: [pocl-opencl-icd, clinfo]\n',
      '',
      [
        'catalog.yaml:41:7 accelerators.opencl.variants.pocl: installs no packages: list the runtime\'s packages under "packages" (e.g. packages: [clinfo]), or set "plainBase: true" if this image is a plain base on purpose',
      ],
    ],
    [
      'an empty package list',
      '        runtime: pocl-opencl-icd\n        packages: [pocl-opencl-icd, clinfo]\n',
      '        packages: []\n',
      [
        'catalog.yaml:41:7 accelerators.opencl.variants.pocl: installs no packages: list the runtime\'s packages under "packages" (e.g. packages: [clinfo]), or set "plainBase: true" if this image is a plain base on purpose',
      ],
    ],
    [
      'a plain base that installs packages',
      '        runtime: pocl-opencl-icd\n',
      '        runtime: pocl-opencl-icd\n        plainBase: true\n',
      [
        'catalog.yaml:44:20 accelerators.opencl.variants.pocl.plainBase: "plainBase: true" but it installs packages or downloads: remove one or the other',
      ],
    ],
  ])('%s', (_name, from, to, expected) => {
    expect(errorsOf(edit(from, to))).toEqual(expected);
  });

  test.each([
    ['a plain base on purpose', '        packages: []\n        plainBase: true\n'],
    [
      'downloads only',
      `        downloads:\n          - { url: https://example.org/rt.tar, sha256: ${'a'.repeat(64)}, dest: /opt/rt.tar }\n`,
    ],
  ])('an accelerator image with no packages is valid as %s', (_name, to) => {
    expect(
      errorsOf(edit('        runtime: pocl-opencl-icd\n        packages: [pocl-opencl-icd, clinfo]\n', to)),
    ).toEqual([]);
  });

  test('every error at once, sorted by position', () => {
    const text = edit('packages: [pocl-opencl-icd, clinfo]', 'packages: [pocl-opencl-icd, "bad name"]').replace(
      'base: opencl-pocl',
      'base: nowhere',
    );
    const errors = errorsOf(text);
    expect(errors.map((e) => e.split(' ')[0])).toEqual(['catalog.yaml:44:37', 'catalog.yaml:51:15']);
  });

  test('a schema error does not hide the semantic ones, nor is what it causes reported again', () => {
    // `packges` leaves pocl without packages: its runtime is not "missing", the key is misspelt.
    const text = edit('packages: [pocl-opencl-icd, clinfo]', 'packges: [pocl-opencl-icd, clinfo]')
      .replace('source: nonfree }', 'source: nonfre }')
      .replace('base: opencl-pocl', 'base: opencl-pocll');
    expect(errorsOf(text).map((e) => e.replace(/;.*$/, ''))).toEqual([
      'catalog.yaml:44:9 accelerators.opencl.variants.pocl.packges: unknown field "packges" (did you mean "packages"?)',
      'catalog.yaml:51:15 accelerators.opencl.variants.app.base: unknown image "opencl-pocll" (did you mean "opencl-pocl"?)',
      'catalog.yaml:56:44 accelerators.opencl.variants.app.packages.2.source: unknown source "nonfre" (did you mean "nonfree"?)',
    ]);
  });

  test.each([
    ['a source with a wrong type', '    type: apt\n', '    type: aptt\n'],
    ['a variant with a misspelt base', '      base: minideb:bullseye\n', '      bsae: minideb:bullseye\n'],
    ['a distribution with a misspelt field', 'bullseye: { version: "11"', 'bullseye: { versio: "11"'],
  ])('%s is reported once, not again by the checks that need it', (_name, from, to) => {
    const errors = errorsOf(edit(from, to));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).not.toMatch(/unknown (source|image|distribution)|missing "base"|is not one of the image/);
  });

  test('a list item the schema refused leaves the positions of the others alone', () => {
    const text = edit('{ name: firmware-misc, source: nonfree }', '{ name: firmware-misc, source: nonfre }').replace(
      '{ name: numpy',
      '{ nme: numpy',
    );
    const errors = errorsOf(text);
    expect(
      errors.some((e) =>
        e.startsWith('catalog.yaml:56:44 accelerators.opencl.variants.app.packages.2.source: unknown source "nonfre"'),
      ),
    ).toBe(true);
  });

  test('a duplicate key is an error that names the key', () => {
    expect(
      errorsOf(
        edit(
          '  bullseye: { version: "11", python: "3.9" }\n',
          '  bullseye: { version: "11", python: "3.9" }\n  trixie: { version: "13", python: "3.13" }\n',
        ),
      ),
    ).toEqual(['catalog.yaml:10:3 distributions.trixie: duplicate key "trixie": each key may appear once in a map']);
  });

  test('an error in a default that two variants inherit is printed once', () => {
    const text = edit('      base: minideb:bullseye\n', '      base: nowhere\n').replace(
      '      std:\n',
      '      eco:\n        runtime: vendor-rt\n        packages: [{ name: vendor-rt, source: vendor }]\n      std:\n',
    );
    expect(errorsOf(text)).toEqual([
      'catalog.yaml:68:13 accelerators.vendor.defaults.base: unknown image "nowhere"; valid bases: minideb, minideb:trixie, minideb:bullseye, opencl-pocl, opencl-app, vendor-eco, vendor-std',
    ]);
  });

  test('a platform the base lacks', () => {
    const text = edit(
      '  platforms: [linux/amd64, linux/arm64]\n  smoke:',
      '  platforms: [linux/amd64]\n  smoke:',
    ).replace('runtime: pocl-opencl-icd', 'platforms: [linux/amd64, linux/arm64]\n        runtime: pocl-opencl-icd');
    expect(errorsOf(text)).toEqual([
      'catalog.yaml:43:20 accelerators.opencl.variants.pocl.platforms: linux/arm64 not built by base "minideb-trixie" (it has linux/amd64)',
    ]);
  });

  test('a variant whose image name clashes with minideb', () => {
    const text = edit('  vendor:\n    description', '  minideb:\n    description').replace(
      '      std:\n',
      '      trixie:\n',
    );
    expect(errorsOf(text)).toEqual([
      'catalog.yaml:76:7 accelerators.minideb.variants.trixie: image name "minideb-trixie" is already used by minideb',
    ]);
  });
});

describe('smoke.compute: a probe that exists and its right result, or the query itself', () => {
  const probes = new Set(['vadd']);
  const computeErrors = (compute: string): string[] => {
    try {
      parseCatalog(
        'catalog.yaml',
        edit('expect: "Device #0"\n', `expect: "Device #0"\n          compute: ${compute}\n`),
        scripts,
        probes,
      );
    } catch (e) {
      if (e instanceof CatalogError) return e.message.split('\n');
      throw e;
    }
    return [];
  };
  test.each([
    ['a probe with its expected result', '{ probe: vadd, expect: "compute ok", noDevice: "no device" }', []],
    ['the query computes', '{ query: true }', []],
    [
      'a probe that is not there',
      '{ probe: vaddd, expect: "compute ok" }',
      [
        'catalog.yaml:50:29 accelerators.opencl.variants.pocl.smoke.compute.probe: no such compute probe generators/compute-probes/vaddd/ (did you mean "vadd"?); probes there: vadd',
      ],
    ],
    [
      'a probe without its result',
      '{ probe: vadd }',
      [
        'catalog.yaml:50:20 accelerators.opencl.variants.pocl.smoke.compute: a compute probe needs "expect": its right result',
      ],
    ],
    [
      'neither',
      '{ timeout: 60 }',
      [
        'catalog.yaml:50:20 accelerators.opencl.variants.pocl.smoke.compute: compute needs a "probe" (or `query: true`)',
      ],
    ],
    [
      'both',
      '{ probe: vadd, query: true, expect: "ok" }',
      [
        'catalog.yaml:50:20 accelerators.opencl.variants.pocl.smoke.compute: compute is a "probe" or the "query", not both',
      ],
    ],
    [
      'the query with a pattern of its own',
      '{ query: true, expect: "ok" }',
      [
        'catalog.yaml:50:43 accelerators.opencl.variants.pocl.smoke.compute.expect: the query\'s own "expect" applies: remove this one',
      ],
    ],
    [
      'a bad pattern',
      '{ probe: vadd, expect: "compute (ok" }',
      [
        'catalog.yaml:50:43 accelerators.opencl.variants.pocl.smoke.compute.expect: not a valid regular expression: Invalid regular expression: /compute (ok/: Unterminated group',
      ],
    ],
    [
      'a probe name that is not a folder name',
      '{ probe: ../vadd, expect: "ok" }',
      [
        'catalog.yaml:50:29 accelerators.opencl.variants.pocl.smoke.compute.probe: not a valid compute probe name (a folder of generators/compute-probes/)',
      ],
    ],
  ])('%s', (_name, compute, expected) => {
    expect(computeErrors(compute)).toEqual(expected);
  });
});

test("an image may not take the name of another's test image", () => {
  const text = edit(
    'expect: "Device #0"\n',
    'expect: "Device #0"\n          compute: { probe: vadd, expect: "compute ok" }\n',
  ).replace(
    '      app:\n',
    '      pocl-test:\n        base: opencl-pocl\n        smoke: { command: [clinfo], expect: "x" }\n      app:\n',
  );
  expect(() => parseCatalog('catalog.yaml', text, scripts, new Set(['vadd']))).toThrow(
    /accelerators\.opencl\.variants\.pocl-test: image name "opencl-pocl-test" is the test image of opencl-pocl/,
  );
});
