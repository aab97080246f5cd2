// `accelbase rootfs [--suite S] [--arch A]`: the minideb root filesystems, reproducible tarballs.
import { archesOf } from '../catalog/platform.js';
import { UserError } from '../errors.js';
import { ownValue } from '../lib/own.js';
import { rootfsForSuites } from '../rootfs/ensure.js';
import { printJson, splitList, workspace, type Context } from './context.js';

export async function rootfs(ctx: Context): Promise<number> {
  const ws = workspace(ctx);
  const { minideb } = ws.model.catalog;
  const retired = (d: string) => ownValue(ws.model.catalog.distributions, d)?.retired === true;
  const live = minideb.distributions.filter((d) => !retired(d));
  const suites = splitList(ctx.flags.suite);
  const arches = splitList(ctx.flags.arch);
  for (const s of suites) {
    if (!minideb.distributions.includes(s))
      throw new UserError(`--suite ${s}: minideb is built for ${live.join(', ')}`, 2);
    if (retired(s))
      throw new UserError(`--suite ${s}: ${s} is retired in the catalog: no root filesystem is made for it`, 2);
  }
  const known = archesOf(minideb.platforms);
  for (const a of arches)
    if (!known.includes(a)) throw new UserError(`--arch ${a}: minideb is built for ${known.join(', ')}`, 2);
  const results = await rootfsForSuites(ws.root, suites.length ? suites : live, arches.length ? arches : known);
  if (ctx.flags.json) printJson(ctx, { rootfs: results });
  else
    for (const r of results)
      ctx.out(`${r.suite} ${r.arch}: ${r.path} ${(r.bytes / 1e6).toFixed(1)} MB sha256:${r.sha256}\n`);
  return 0;
}
