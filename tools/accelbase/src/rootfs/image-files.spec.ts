import { describe, expect, it } from 'vitest';
import { APT_CONF, DPKG_EXCLUDES, clampShadow, sourcesListText } from './image-files.js';

const MIRROR = 'http://archive.example.invalid/debian';
const SECURITY = 'http://archive.example.invalid/debian-security';

describe('file contents', () => {
  it('clamps shadow change dates to the epoch day', () => {
    const epoch = 20000 * 86400 + 500;
    const text = 'root:*:20500:0:99999:7:::\nuser:$y$x:19000:0:99999:7:::\nnone:*::0:99999:7:::\n';
    expect(clampShadow(text, epoch)).toBe(
      'root:*:20000:0:99999:7:::\nuser:$y$x:19000:0:99999:7:::\nnone:*::0:99999:7:::\n',
    );
  });

  it('writes sources for the suite, its updates and security', () => {
    expect(sourcesListText(`${MIRROR}/`, 'bookworm', SECURITY)).toBe(
      `deb ${MIRROR} bookworm main\ndeb ${MIRROR} bookworm-updates main\ndeb ${SECURITY} bookworm-security main\n`,
    );
    expect(sourcesListText(MIRROR, 'trixie')).not.toContain('security');
  });

  it('keeps later installs trimmed', () => {
    expect(DPKG_EXCLUDES).toContain('path-exclude=/usr/share/doc/*\n');
    expect(DPKG_EXCLUDES).toContain('path-include=/usr/share/doc/*/copyright\n');
    expect(DPKG_EXCLUDES).toContain('path-exclude=/usr/share/man/*\n');
    expect(DPKG_EXCLUDES).toContain('path-exclude=/usr/share/locale/*\n');
    expect(APT_CONF['docker-no-recommends']).toContain('APT::Install-Recommends "false";');
    expect(APT_CONF['docker-clean']).toContain('Dir::Cache::pkgcache "";');
  });
});
