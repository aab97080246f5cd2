// `accelbase rootfs [--suite S] [--arch A]`: the minideb root filesystems, reproducible tarballs.
import { rootfsWorkspace } from '../workflows/rootfs.js';
import { printJson, splitList, workspace, type Context } from './context.js';

export async function rootfs(ctx: Context): Promise<number> {
  const results = await rootfsWorkspace(workspace(ctx), {
    suites: splitList(ctx.flags.suite),
    arches: splitList(ctx.flags.arch),
    config: ctx.config,
  });
  if (ctx.flags.json) printJson(ctx, { rootfs: results });
  else
    for (const r of results)
      ctx.out(`${r.suite} ${r.arch}: ${r.path} ${(r.bytes / 1e6).toFixed(1)} MB sha256:${r.sha256}\n`);
  return 0;
}
