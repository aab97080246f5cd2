// npm as a datasource, through the npm client itself, so the registry is whatever npm is
// configured with (the repository names none).
import semver from 'semver';
import { z } from 'zod';
import { UserError } from '../errors.js';
import { run } from '../exec.js';
import { FreeText, pattern } from '../lib/grammar.js';
import { datasource } from './types.js';

/** npm package names, scoped or not (validate-npm-package-name, new-package rules). */
export const NpmPackageName = pattern(
  /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/,
  'npm package name',
  214,
);

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

export const npmRegistry = datasource({
  schema: z.strictObject({
    type: z.literal('npm'),
    description: FreeText.optional().describe("packages come from the builder's configured npm registry"),
  }),
  packageName: NpmPackageName,
  installer: 'npm',
  // The registry is the builder's npm configuration, unknown here: nothing to probe.
  buildUrls: () => [],
  resolve: (_source, q, ctx) => resolveNpmPackage(q.name, q.range, ctx.npmRegistry),
});
