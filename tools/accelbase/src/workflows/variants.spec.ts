import { expect, test } from 'vitest';
import { bakeArgs } from '../docker/bake.js';
import { variantsBake } from './variants.js';

const base = {
  root: '/ws',
  appFile: '/tmp/v/variants-bake.json',
  sources: ['/ws/app', '/ws/app'],
  cacheOnly: [],
  push: false,
  targets: ['app-opencl-pocl'],
};

test.each([
  [
    'an app inside the workspace, on a pushed base: the two bake files and its targets',
    base,
    [
      'buildx',
      'bake',
      '--file',
      '/ws/docker-bake.json',
      '--file',
      '/tmp/v/variants-bake.json',
      '--progress',
      'rawjson',
      'app-opencl-pocl',
    ],
  ],
  [
    'no bridge network, an app outside the workspace, a catalog base built in the same bake, --push',
    {
      ...base,
      hostNetworkFile: '/tmp/v/host-network.json',
      sources: ['/src/app', '/src/app/docker'],
      cacheOnly: ['minideb-trixie', 'opencl-pocl'],
      push: true,
      targets: ['app-a', 'app-b'],
    },
    [
      'buildx',
      'bake',
      '--file',
      '/ws/docker-bake.json',
      '--file',
      '/tmp/v/variants-bake.json',
      '--file',
      '/tmp/v/host-network.json',
      '--allow',
      'network.host',
      '--allow',
      'fs.read=/src/app',
      '--allow',
      'fs.read=/src/app/docker',
      '--progress',
      'rawjson',
      '--set',
      'minideb-trixie.output=type=cacheonly',
      '--set',
      'opencl-pocl.output=type=cacheonly',
      '--push',
      'app-a',
      'app-b',
    ],
  ],
])('variants bake: %s', (_, o, want) => {
  expect(bakeArgs(variantsBake(o))).toEqual(want);
});
