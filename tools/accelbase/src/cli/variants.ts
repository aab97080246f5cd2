// `accelbase variants FILE`: one application Dockerfile, one image per base.
import { UserError } from '../errors.js';
import { convertToNative } from '../variants/convert.js';
import { buildVariants, readVariantsFile } from '../workflows/variants.js';
import { platformsFlag, printJson, workflowRun, workspace, type Context } from './context.js';

export async function variants(ctx: Context): Promise<number> {
  const [file] = ctx.args;
  if (!file || ctx.args.length > 1)
    throw new UserError(
      'usage: accelbase variants FILE [--push] [--build-bases] [--registry NS] [--platform P] [--convert] [--json]',
      2,
    );
  const vf = readVariantsFile(file);
  if (ctx.flags.convert) {
    const text = convertToNative(vf);
    if (ctx.flags.json) printJson(ctx, { format: vf.format, converted: text });
    else ctx.out(text);
    return 0;
  }
  const r = await buildVariants(
    workspace(ctx),
    file,
    vf,
    { push: ctx.flags.push, platforms: platformsFlag(ctx), buildBases: ctx.flags['build-bases'] },
    workflowRun(ctx),
  );
  if (ctx.flags.json) printJson(ctx, r);
  else {
    for (const s of r.variants)
      ctx.out(`${s.image}:${s.tag}  ${s.platforms.join(',')}  on ${s.base}  (${s.overload})\n`);
    for (const [image, list] of Object.entries(r.tags)) ctx.out(`${image} tags: ${JSON.stringify(list)}\n`);
  }
  return 0;
}
