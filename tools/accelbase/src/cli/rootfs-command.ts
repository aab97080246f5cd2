// `accelbase rootfs`: the minideb root filesystems, one reproducible tarball per suite and architecture.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { rootfsTarball } from '../render/bake-file.js';
import { buildRootfs } from '../rootfs/rootfs.js';
import { UserError } from '../errors.js';
import { info } from '../log.js';
import { splitList } from './args.js';
import { load, printJson, type Context } from './commands.js';

export async function rootfsForSuites(root: string, suites: string[], arches: string[]) {
  const out = [];
  for (const suite of suites) {
    for (const arch of arches) {
      const outFile = join(root, rootfsTarball(suite, arch));
      info(`rootfs ${suite} ${arch} -> ${outFile}`);
      out.push({ suite, arch, ...(await buildRootfs({ suite, arch, outFile })) });
    }
  }
  return out;
}

/** Bootstrap the tarballs a minideb build of `dist` needs for `platforms` that are not there yet. */
export async function ensureRootfs(root: string, dist: string, platforms: string[]): Promise<void> {
  const missing = platforms.map((p) => p.split('/')[1]).filter((a) => !existsSync(join(root, rootfsTarball(dist, a))));
  if (missing.length) await rootfsForSuites(root, [dist], missing);
}

export async function rootfs(ctx: Context): Promise<number> {
  const loaded = load(ctx);
  const { minideb } = loaded.model.catalog;
  const suites = splitList(ctx.flags.suite);
  const arches = splitList(ctx.flags.arch);
  for (const s of suites) if (!minideb.distributions.includes(s)) throw new UserError(`--suite ${s}: minideb is built for ${minideb.distributions.join(', ')}`, 2);
  const known = minideb.platforms.map((p) => p.split('/')[1]);
  for (const a of arches) if (!known.includes(a)) throw new UserError(`--arch ${a}: minideb is built for ${known.join(', ')}`, 2);
  const results = await rootfsForSuites(loaded.ws.root, suites.length ? suites : minideb.distributions, arches.length ? arches : known);
  if (ctx.flags.json) printJson(ctx, { rootfs: results });
  else for (const r of results) ctx.out(`${r.suite} ${r.arch}: ${r.path} ${(r.bytes / 1e6).toFixed(1)} MB sha256:${r.sha256}\n`);
  return 0;
}
