import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { UserError } from '../../errors.js';
import { clearsignedBody, field, parseDeb822, parsePackages } from './deb822.js';

const fixture = (rel: string) => readFileSync(new URL(`./fixtures/${rel}`, import.meta.url), 'utf8');

describe('parseDeb822', () => {
  test('stanzas, fields and continuation lines', () => {
    const text = [
      'Package: a',
      'Version: 1.0-1',
      'Description: short',
      ' first line',
      ' .',
      '   indented verbatim',
      'Tag: role::program,',
      ' scope::utility',
      '',
      '',
      'Package: b',
      'Version: 2',
      '',
    ].join('\n');
    expect(parseDeb822(text)).toEqual([
      {
        Package: 'a',
        Version: '1.0-1',
        Description: 'short\nfirst line\n.\n  indented verbatim',
        Tag: 'role::program,\nscope::utility',
      },
      { Package: 'b', Version: '2' },
    ]);
  });

  test('CRLF, comments, blank-ish separators, no final newline, trailing blanks', () => {
    const text = '# generated\r\nA: 1  \r\nB:2\r\n \t \r\nA: 3\r\n# inside\r\nC:   x y  ';
    expect(parseDeb822(text)).toEqual([
      { A: '1', B: '2' },
      { A: '3', C: 'x y' },
    ]);
  });

  test('a field whose first line is empty starts at its continuation (Release SHA256 style)', () => {
    const [s] = parseDeb822('SHA256:\n abc 1 main/x\n def 2 main/y\n');
    expect(s.SHA256).toBe('abc 1 main/x\ndef 2 main/y');
  });

  test('empty input has no stanzas', () => {
    expect(parseDeb822('')).toEqual([]);
    expect(parseDeb822('\n\n  \n')).toEqual([]);
  });

  test('fields option keeps only the named fields, case-insensitively', () => {
    const text = 'Package: a\nVersion: 1\nDescription: x\n more\nsize: 3\n';
    expect(parseDeb822(text, { fields: ['package', 'SIZE'] })).toEqual([{ Package: 'a', size: '3' }]);
  });

  test.each([
    [' leading continuation\n', /x:1: continuation line outside a field/],
    ['A: 1\nno colon here\n', /x:2: expected "Field: value"/],
    ['A: 1\n: empty name\n', /x:2: expected "Field: value"/],
    ['A: 1\na: 2\n', /x:2: duplicate field a/],
    ['A: 1\n\n continuation after blank\n', /x:3: continuation line outside a field/],
  ])('rejects %j', (text, message) => {
    expect(() => parseDeb822(text, { source: 'x' })).toThrow(UserError);
    expect(() => parseDeb822(text, { source: 'x' })).toThrow(message);
  });

  test('field() looks names up case-insensitively', () => {
    expect(field({ 'multi-arch': 'same' }, 'Multi-Arch')).toBe('same');
    expect(field({ A: '1' }, 'B')).toBeUndefined();
  });
});

describe('parsePackages', () => {
  test('reads a real-format Packages file', () => {
    const packages = parsePackages(fixture('debian/dists/bookworm/main/binary-amd64/Packages'));
    expect(packages.map((p) => `${p.Package}=${p.Version}`)).toEqual([
      'clinfo=3.0.21.02.21-1',
      'clinfo=3.0.23.01.25-1',
      'clinfo=3.0.25.02.14-1~bpo12+1',
      'libpocl2-common=3.1-3',
      'libpocl2-common=3.1-3+deb12u1',
      'pocl-opencl-icd=3.1-3',
      'pocl-opencl-icd=3.1-3+deb12u1',
      'pocl-opencl-icd=6.0-6~bpo12+1',
      'python3-onnxruntime=1.19.2+dfsg-1',
      'python3-onnxruntime=1.21.0+dfsg-1',
      'python3-onnxruntime=1.21.0+dfsg-1+b1',
      'python3-onnxruntime=1.22.0~rc1+dfsg-1',
    ]);
    const pocl = packages[6];
    expect(pocl).toMatchObject({
      Package: 'pocl-opencl-icd',
      Source: 'pocl',
      Version: '3.1-3+deb12u1',
      Architecture: 'amd64',
      Depends: 'libpocl2 (= 3.1-3+deb12u1)',
      'Multi-Arch': 'same',
      Filename: 'pool/main/p/pocl/pocl-opencl-icd_3.1-3+deb12u1_amd64.deb',
    });
    expect(packages[3].Architecture).toBe('all');
    // binNMU: Source carries the source version in parentheses.
    expect(packages[10].Source).toBe('onnxruntime (1.21.0+dfsg-1)');
    // Folded Depends and a multi-line Description.
    expect(packages[9].Depends?.split(/,\s*/)).toContain('python3-numpy');
    expect(packages[9].Description).toBe(
      'cross-platform inference and training ML accelerator (Python bindings)\n' +
        'ONNX Runtime is a cross-platform inference and training machine-learning\naccelerator.\n.\n' +
        'This package provides the Python bindings.',
    );
  });

  test('required fields are stored under their canonical names', () => {
    expect(parsePackages('package: a\nVERSION: 1\narchitecture: all\n')).toEqual([
      { Package: 'a', Version: '1', Architecture: 'all' },
    ]);
  });

  test('fields option always keeps Package, Version, Architecture', () => {
    const [p] = parsePackages(fixture('debian/dists/bookworm/main/binary-arm64/Packages'), { fields: ['Depends'] });
    expect(p).toEqual({
      Package: 'clinfo',
      Version: '3.0.23.01.25-1',
      Architecture: 'arm64',
      Depends: 'libc6 (>= 2.34), ocl-icd-libopencl1 | libopencl1',
    });
  });

  test('a stanza without Version is a broken index, reported with its source and package', () => {
    expect(() => parsePackages('Package: a\nArchitecture: all\n', { source: 'http://x/Packages.gz' })).toThrow(
      'http://x/Packages.gz: a: missing Version field',
    );
  });
});

describe('clearsignedBody', () => {
  test('extracts the signed text of an InRelease', () => {
    const body = clearsignedBody(fixture('InRelease.trixie-excerpt'));
    expect(body.startsWith('Origin: Debian\n')).toBe(true);
    expect(body).not.toContain('PGP');
    expect(body).not.toContain('Hash: SHA256');
    expect(parseDeb822(body)).toHaveLength(1);
  });

  test('undoes dash-escaping', () => {
    const signed =
      '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nA: 1\n- -x\n-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----\n';
    expect(clearsignedBody(signed)).toBe('A: 1\n-x\n');
  });

  test('passes an unsigned Release through', () => {
    expect(clearsignedBody('Suite: stable\n')).toBe('Suite: stable\n');
  });

  test('a clear-signed message without its signature block is a truncated download', () => {
    expect(() => clearsignedBody('-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nA: 1\n', 'u')).toThrow(
      /u: clear-signed message has no signature block/,
    );
  });
});
