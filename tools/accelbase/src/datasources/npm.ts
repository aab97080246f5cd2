// npm as a datasource, through the npm client itself, so the registry is whatever npm is
// configured with (the repository names none).
import semver from 'semver';
import { UserError } from '../errors.js';
import { run } from '../exec.js';
import type { Datasource } from './types.js';

/** Newest published version of `name` satisfying `range` (default: any), or undefined. */
export async function resolveNpmPackage(
  name: string,
  range: string | undefined,
  registry?: string,
): Promise<string | undefined> {
  const args = ['view', `${name}@${range ?? '*'}`, 'version', '--json', ...(registry ? ['--registry', registry] : [])];
  const r = await run('npm', args, {
    allowFailure: true,
    timeoutMs: 60_000,
    env: { npm_config_update_notifier: 'false' },
  });
  if (r.exitCode !== 0) {
    if (/E404|is not in this registry/.test(r.stdout + r.stderr)) return undefined;
    throw new UserError(
      `npm view ${name}: ${
        (r.stderr || r.stdout)
          .trim()
          .split('\n')
          .filter((l) => /error/i.test(l))
          .slice(0, 2)
          .join(' ') || `exit code ${r.exitCode}`
      }`,
    );
  }
  if (!r.stdout.trim()) return undefined;
  let parsed: string | string[];
  try {
    parsed = JSON.parse(r.stdout) as string | string[];
  } catch (e) {
    throw new UserError(`npm view ${name}: unreadable answer: ${(e as Error).message}`);
  }
  const versions = (Array.isArray(parsed) ? parsed : [parsed]).filter((v) => semver.valid(v));
  return versions.sort(semver.rcompare)[0];
}

export const npmRegistry: Datasource<'npm'> = {
  resolve: (_source, q, ctx) => resolveNpmPackage(q.name, q.range, ctx.npmRegistry),
};
