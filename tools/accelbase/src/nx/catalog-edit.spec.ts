import { expect, test } from 'vitest';
import { appendToMap } from './catalog-edit.js';

const catalog = `# top comment
accelerators:
  opencl:
    description: x # trailing comment
    variants:
      pocl:
        base: minideb:trixie
# a comment after the map
other: 1
`;

test('appends at the end of the map, keeping every other byte', () => {
  const out = appendToMap('c.yaml', catalog, ['accelerators'], '  vulkan:\n    description: y\n');
  expect(out).toBe(
    catalog.replace('        base: minideb:trixie\n', '        base: minideb:trixie\n  vulkan:\n    description: y\n'),
  );
});

test('nested maps and CRLF files', () => {
  const crlf = catalog.replace(/\n/g, '\r\n');
  const out = appendToMap(
    'c.yaml',
    crlf,
    ['accelerators', 'opencl', 'variants'],
    '      rusticl:\n        base: minideb:trixie\n',
  );
  expect(out).toBe(
    crlf.replace(
      '        base: minideb:trixie\r\n',
      '        base: minideb:trixie\r\n      rusticl:\r\n        base: minideb:trixie\r\n',
    ),
  );
  expect(out.replace(/\r\n/g, '')).not.toContain('\n');
});

test('a file without a final newline', () => {
  expect(
    appendToMap('c.yaml', 'accelerators:\n  a:\n    description: x', ['accelerators'], '  b:\n    description: y\n'),
  ).toBe('accelerators:\n  a:\n    description: x\n  b:\n    description: y\n');
});

test('flow maps are refused', () => {
  expect(() => appendToMap('c.yaml', 'accelerators: {}\n', ['accelerators'], '  b: {}\n')).toThrow(/flow map/);
});
