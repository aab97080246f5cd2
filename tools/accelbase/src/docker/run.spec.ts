import { describe, expect, test } from 'vitest';
import { isMissingImage, runArgs } from './run.js';

describe('docker run for smoke tests', () => {
  test.each([
    [125, 'docker: Error response from daemon: No such image: 127.0.0.1:5000/x/minideb:trixie.', true],
    [125, 'docker: Error response from daemon: failed to create task', false],
    [1, 'No such image (printed by the device query itself)', false],
    [0, '', false],
  ])('exit %i with %j is a missing image: %s', (exitCode, stderr, missing) => {
    expect(isMissingImage({ exitCode, stderr })).toBe(missing);
  });

  test('the pull policy defaults to missing and can be never', () => {
    const spec = { name: 'n', platform: 'linux/amd64', ref: 'r', command: ['true'] };
    expect(runArgs(spec).join(' ')).toContain('--pull missing');
    expect(runArgs({ ...spec, pull: 'never' }).join(' ')).toBe(
      'run --rm --name n --network none --platform linux/amd64 --pull never r true',
    );
  });
});
