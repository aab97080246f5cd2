// `accelbase rootfs [--suite S] [--arch A]`: the minideb root filesystems, reproducible tarballs.
import { archesOf } from '../catalog/platform.js';
import { UserError } from '../errors.js';
import { rootfsForSuites } from '../rootfs/ensure.js';
import { splitList } from './args.js';
import { printJson, workspace, type Context } from './context.js';

export async function rootfs(ctx: Context): Promise<number> {
  const ws = workspace(ctx);
  const { minideb } = ws.model.catalog;
  const suites = splitList(ctx.flags.suite);
  const arches = splitList(ctx.flags.arch);
  for (const s of suites)
    if (!minideb.distributions.includes(s))
      throw new UserError(`--suite ${s}: minideb is built for ${minideb.distributions.join(', ')}`, 2);
  const known = archesOf(minideb.platforms);
  for (const a of arches)
    if (!known.includes(a)) throw new UserError(`--arch ${a}: minideb is built for ${known.join(', ')}`, 2);
  const results = await rootfsForSuites(
    ws.root,
    suites.length ? suites : minideb.distributions,
    arches.length ? arches : known,
    ctx.config,
  );
  if (ctx.flags.json) printJson(ctx, { rootfs: results });
  else
    for (const r of results)
      ctx.out(`${r.suite} ${r.arch}: ${r.path} ${(r.bytes / 1e6).toFixed(1)} MB sha256:${r.sha256}\n`);
  return 0;
}
