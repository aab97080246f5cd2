// --convert: SODALITE files into accelbase's own format, comments kept, read back to the same variants.
import { expect, test } from 'vitest';
import { CatalogError } from '../errors.js';
import { convertToNative } from './convert.js';
import { parseVariantsFile } from './file.js';

const sodalite = `# The devicequery app, on two Edge TPU bases.
source:
  dockerfile:
    url: Dockerfile
target:
  registry:
    url: http://127.0.0.1:5000
  images:
    # the default: the Dockerfile's own FROM
    - image: app-authors/dq
      tag: std
    - image: app-authors/dq # the fast one
      tag: max
      base: acceleratorbase/edgetpu-max
      platforms: [linux/arm64]
`;

test('a SODALITE file converts with its comments, and reads back to the same variants', () => {
  const text = convertToNative(parseVariantsFile('s.yaml', sodalite));
  expect(text).toBe(`# The devicequery app, on two Edge TPU bases.

source:
  context: .
  dockerfile: Dockerfile
target:
  image: 127.0.0.1:5000/app-authors/dq
variants:
  # the default: the Dockerfile's own FROM
  - tag: std
  - tag: max # the fast one
    base: acceleratorbase/edgetpu-max
    platforms:
      - linux/arm64
`);
  const back = parseVariantsFile('v.yaml', text);
  expect(back.format).toBe('accelbase');
  expect(back.variants.map((v) => [v.image, v.tag, v.base, v.platforms])).toEqual(
    parseVariantsFile('s.yaml', sodalite).variants.map((v) => [v.image, v.tag, v.base, v.platforms]),
  );
});

test.each([
  [
    'two images',
    sodalite.replace('- image: app-authors/dq # the fast one', '- image: app-authors/other'),
    "s.yaml:8:3 target.images: accelbase's format tags one image per file, and this names 2 (127.0.0.1:5000/app-authors/dq, 127.0.0.1:5000/app-authors/other): split it by image",
  ],
  [
    'a remote Dockerfile',
    sodalite.replace('url: Dockerfile', 'url: https://raw.example/Dockerfile'),
    "s.yaml:4:10 source.dockerfile.url: accelbase's format has no remote Dockerfile: add the Dockerfile to the build context and name it by path",
  ],
])('%s cannot convert: a positioned error', (_n, text, message) => {
  expect(() => convertToNative(parseVariantsFile('s.yaml', text))).toThrow(CatalogError);
  expect(() => convertToNative(parseVariantsFile('s.yaml', text))).toThrow(message);
});
