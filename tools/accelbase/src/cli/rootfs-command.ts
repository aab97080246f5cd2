// `accelbase rootfs`: the minideb root filesystems, one reproducible tarball per suite and architecture.
import { archesOf } from '../catalog/platform.js';
import { rootfsForSuites } from '../rootfs/ensure.js';
import { UserError } from '../errors.js';
import { splitList } from './args.js';
import { load, printJson, type Context } from './commands.js';

export async function rootfs(ctx: Context): Promise<number> {
  const loaded = load(ctx);
  const { minideb } = loaded.model.catalog;
  const suites = splitList(ctx.flags.suite);
  const arches = splitList(ctx.flags.arch);
  for (const s of suites) if (!minideb.distributions.includes(s)) throw new UserError(`--suite ${s}: minideb is built for ${minideb.distributions.join(', ')}`, 2);
  const known = archesOf(minideb.platforms);
  for (const a of arches) if (!known.includes(a)) throw new UserError(`--arch ${a}: minideb is built for ${known.join(', ')}`, 2);
  const results = await rootfsForSuites(loaded.ws.root, suites.length ? suites : minideb.distributions, arches.length ? arches : known);
  if (ctx.flags.json) printJson(ctx, { rootfs: results });
  else for (const r of results) ctx.out(`${r.suite} ${r.arch}: ${r.path} ${(r.bytes / 1e6).toFixed(1)} MB sha256:${r.sha256}\n`);
  return 0;
}
