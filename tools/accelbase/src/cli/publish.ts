// `accelbase publish [IMAGE...]`: move floating tags to the last build where something really changed.
import { splitTag } from '../oci/reference.js';
import { publishWorkspace } from '../workflows/publish.js';
import { plural, printJson, workflowRun, workspace, type Context } from './context.js';

export async function publish(ctx: Context): Promise<number> {
  const { published, decisions } = await publishWorkspace(workspace(ctx), ctx.args, workflowRun(ctx));
  if (ctx.flags.json) printJson(ctx, { published, decisions });
  else {
    for (const d of decisions)
      ctx.out(
        d.action === 'publish'
          ? `published ${d.image}: ${d.tags.map((t) => splitTag(t).tag).join(', ')} (${d.why})\n`
          : `unchanged ${d.image}: ${d.why}\n`,
      );
    ctx.out(`${plural(published, 'image')} published\n`);
  }
  return 0;
}
