import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { debianArch } from './host.js';

describe('host', () => {
  it("maps Node's architectures to Debian's", () => {
    expect(debianArch('x64')).toBe('amd64');
    expect(debianArch('arm64')).toBe('arm64');
    expect(() => debianArch('mips')).toThrow(UserError);
  });
});
