import { describe, expect, it } from 'vitest';
import { tarCreateArgs, tarExtractArgs } from './tar.js';

describe('tar arguments', () => {
  it('make a reproducible archive', () => {
    const args = tarCreateArgs('/w/root', '/o/rootfs.tar', 1700000000);
    expect(args.slice(0, 3)).toEqual(['--create', '--file', '/o/rootfs.tar']);
    for (const flag of ['--format=posix', '--sort=name', '--mtime=@1700000000', '--clamp-mtime', '--numeric-owner'])
      expect(args).toContain(flag);
    // GNU tar's default pax header name holds the PID; atime/ctime change on every read.
    expect(args).toContain('--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime');
    expect(args.slice(-3)).toEqual(['--directory', '/w/root', '.']);
  });

  it('put excludes before the member list', () => {
    const args = tarCreateArgs('/w', '/o.tar', 1, ['./proc/*']);
    expect(args.indexOf('--exclude=./proc/*')).toBeLessThan(args.indexOf('.'));
  });

  it('extract with owners and modes as recorded', () => {
    expect(tarExtractArgs('/c.tar', '/w')).toEqual([
      '--extract',
      '--file',
      '/c.tar',
      '--directory',
      '/w',
      '--numeric-owner',
      '--preserve-permissions',
      '--same-owner',
    ]);
  });
});
