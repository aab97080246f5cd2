// The nightly's changelog: per image and platform, each installed package that moved (`from -> to`),
// marked `security` where the new version came from `<suite>-security`. Markdown for a pull request. Pure.
import type { Lock } from '../catalog/lock.js';
import { isSecuritySuite } from './outdated.js';

export interface PackageMove {
  image: string;
  platform: string;
  package: string;
  from?: string;
  /** undefined when the package is no longer installed. */
  to?: string;
  security: boolean;
}

/**
 * Every installed package whose version differs between two locks, for images in both or either;
 * `security` where `suiteOf` says the new version is in `<suite>-security`.
 */
export function packageMoves(
  before: Lock,
  after: Lock,
  suiteOf: (image: string, platform: string, name: string, version: string) => string | undefined,
): PackageMove[] {
  const moves: PackageMove[] = [];
  const images = [...new Set([...Object.keys(before.images), ...Object.keys(after.images)])].sort();
  for (const image of images) {
    const platforms = new Set([
      ...Object.keys(before.images[image]?.platforms ?? {}),
      ...Object.keys(after.images[image]?.platforms ?? {}),
    ]);
    for (const platform of [...platforms].sort()) {
      const was =
        (before.images[image]?.platforms as Record<string, { installed?: Record<string, string> }> | undefined)?.[
          platform
        ]?.installed ?? {};
      const now =
        (after.images[image]?.platforms as Record<string, { installed?: Record<string, string> }> | undefined)?.[
          platform
        ]?.installed ?? {};
      for (const name of [...new Set([...Object.keys(was), ...Object.keys(now)])].sort()) {
        const from = Object.hasOwn(was, name) ? was[name] : undefined;
        const to = Object.hasOwn(now, name) ? now[name] : undefined;
        if (from === to) continue;
        const suite = to === undefined ? undefined : suiteOf(image, platform, name, to);
        moves.push({
          image,
          platform,
          package: name,
          from,
          to,
          security: suite !== undefined && isSecuritySuite(suite),
        });
      }
    }
  }
  return moves;
}

const cell = (s: string) => s.replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`);

/** Markdown: one section per image and platform; security fixes first, then the rest by name. */
export function changelogMarkdown(moves: PackageMove[], title = 'Package updates'): string {
  if (moves.length === 0) return `# ${title}\n\nNo installed package changed.\n`;
  const lines = [`# ${title}`, ''];
  const groups = new Map<string, PackageMove[]>();
  for (const m of moves)
    groups.set(`${m.image} (${m.platform})`, [...(groups.get(`${m.image} (${m.platform})`) ?? []), m]);
  const security = moves.filter((m) => m.security).length;
  lines.push(
    `${moves.length} package change${moves.length === 1 ? '' : 's'}, ${security} security fix${security === 1 ? '' : 'es'}.`,
    '',
  );
  for (const [heading, list] of groups) {
    lines.push(`## ${cell(heading)}`, '');
    for (const m of [...list].sort(
      (a, b) => Number(b.security) - Number(a.security) || (a.package < b.package ? -1 : 1),
    )) {
      const from = m.from === undefined ? '(new)' : cell(m.from);
      const to = m.to === undefined ? '(removed)' : cell(m.to);
      lines.push(`- ${cell(m.package)} ${from} -> ${to}${m.security ? ' (security)' : ''}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
