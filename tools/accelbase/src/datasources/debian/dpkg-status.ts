// The installed package set of a Debian root filesystem, from its dpkg database (/var/lib/dpkg/status).
import { field, parseDeb822 } from './deb822.js';

export const DPKG_STATUS = 'var/lib/dpkg/status';

/** `name -> version` of every package dpkg calls installed, sorted by name (arch-qualified names stay plain). */
export function installedPackages(statusText: string, source = DPKG_STATUS): Record<string, string> {
  const installed: [string, string][] = [];
  for (const stanza of parseDeb822(statusText, { source, fields: ['Package', 'Status', 'Version'] })) {
    const name = field(stanza, 'Package');
    const version = field(stanza, 'Version');
    if (name && version && field(stanza, 'Status')?.split(/\s+/)[2] === 'installed') installed.push([name, version]);
  }
  return Object.fromEntries(installed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
