// `accelbase docs [--output DIR] [--json]`: the image matrix with recorded facts (see workflows/docs.ts).
import { relative } from 'node:path';
import { docsWorkspace } from '../workflows/docs.js';
import { printJson, workspace, type Context } from './context.js';

export async function docs(ctx: Context): Promise<number> {
  const result = await docsWorkspace(workspace(ctx), { output: ctx.flags.output });
  if (ctx.flags.json) printJson(ctx, result);
  else {
    for (const f of result.files) {
      const rel = relative(process.cwd(), f);
      ctx.out(`wrote ${rel.startsWith('..') ? f : rel}\n`);
    }
    const counts = new Map<string, number>();
    for (const platforms of Object.values(result.facts))
      for (const f of Object.values(platforms)) if (f) counts.set(f.status, (counts.get(f.status) ?? 0) + 1);
    ctx.out(`${[...counts].map(([s, n]) => `${n} ${s}`).join(', ') || 'no images'}\n`);
  }
  return 0;
}
