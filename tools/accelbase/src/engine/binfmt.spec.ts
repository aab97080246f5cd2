import { describe, expect, it } from 'vitest';
import { binfmtRegistration } from './binfmt.js';

describe('binfmt', () => {
  it('registers arm64 ELF binaries with the fix-binary flag', () => {
    const line = binfmtRegistration('/e/prefix/usr/bin/qemu-aarch64-static');
    const [, name, type, offset, magic, mask, interp, flags] = line.split(':');
    expect([name, type, offset]).toEqual(['qemu-aarch64', 'M', '']);
    expect(magic).toBe('\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00');
    expect(mask.split('\\x').length).toBe(magic.replace('ELF', '\\x45\\x4c\\x46').split('\\x').length);
    expect(interp).toBe('/e/prefix/usr/bin/qemu-aarch64-static');
    expect(flags).toContain('F');
  });
});
