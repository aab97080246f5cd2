// `accelbase outdated [IMAGE...]`: installed packages with a newer version in the archive; exit 1 when any.
import { outdatedWorkspace } from '../workflows/outdated.js';
import { plural, printJson, workflowRun, workspace, type Context } from './context.js';

export async function outdated(ctx: Context): Promise<number> {
  const reports = await outdatedWorkspace(workspace(ctx), ctx.args, workflowRun(ctx));
  const count = reports.reduce((n, r) => n + r.outdated.length, 0);
  // Nothing known is no answer: "0 outdated" would claim the images were checked.
  const unknown = reports.filter((r) => !r.known).length;
  if (ctx.flags.json) printJson(ctx, { count, unknown, images: reports });
  else {
    for (const r of reports) {
      const head = `${r.image} (${r.platform})`;
      if (!r.known) ctx.out(`${head}: installed packages not recorded yet (build --push and publish it)\n`);
      else ctx.out(`${head}: ${r.outdated.length} of ${r.installedCount} installed packages outdated\n`);
      for (const o of r.outdated)
        ctx.out(`  ${o.package} ${o.installed} -> ${o.newest} (${o.suite}${o.security ? ', security' : ''})\n`);
    }
    ctx.out(
      `${plural(count, 'outdated package')}${unknown ? `; ${plural(unknown, 'image platform')} unknown (no installed set recorded here${ctx.config.registry ? ' nor published in the registry' : '; --registry reads the published SBOMs'})` : ''}\n`,
    );
  }
  return count || unknown ? 1 : 0;
}
