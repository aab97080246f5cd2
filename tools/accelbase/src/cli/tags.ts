// `accelbase tags`: matching images, newest runtime first, with the FROM line to paste.
import { UserError } from '../errors.js';
import { getManifest, listTags, splitRepository } from '../oci/registry.js';
import { formatTags, pickTags } from '../pick/pick.js';
import { applyRegistryTags, pinCandidate } from '../pick/registry-tags.js';
import { printJson, splitList, workspace, type Context } from './context.js';

export async function tags(ctx: Context): Promise<number> {
  if (ctx.args.length)
    throw new UserError(
      'usage: accelbase tags [--accelerator A] [--variant V] [--arch A] [--dist D] [--runtime PKG@RANGE] [--include-retired] [--registry NS [--pin]] [--json]',
      2,
    );
  const ws = workspace(ctx);
  const { plan } = ws;
  const { accelerator, variant, dist, runtime } = ctx.flags;
  const picked = pickTags(
    plan,
    ws.model,
    { accelerator, variant, dist, runtime, arch: splitList(ctx.flags.arch) },
    { includeRetired: ctx.flags['include-retired'] },
  );
  let list = picked.candidates;
  if (ctx.flags.registry !== undefined || ctx.flags.pin) {
    // Reading tags and digests needs a registry host: fail once, clearly, before any request.
    try {
      splitRepository(`${plan.namespace}/x`);
    } catch {
      throw new UserError(
        `${ctx.flags.pin ? '--pin' : '--registry'} needs a registry to read from: --registry HOST[:PORT]/NAMESPACE (got "${plan.namespace}")`,
        2,
      );
    }
    list = await Promise.all(list.map(async (c) => applyRegistryTags(c, await listTags(c.repository))));
    if (list.every((c) => !c.inRegistry)) {
      throw new UserError(
        `none of the matching images is in ${plan.namespace}: ${list.map((c) => `${c.repository}:${c.tag}`).join(', ')} (push with \`accelbase build --push --registry ${plan.namespace}\`)`,
      );
    }
    if (ctx.flags.pin) {
      list = await Promise.all(
        list.map(async (c) => {
          if (!c.inRegistry) return c;
          const { digest } = await getManifest(c.repository, c.tag);
          if (!digest) throw new UserError(`${c.ref}: the registry sent no Docker-Content-Digest header`);
          return pinCandidate(c, digest);
        }),
      );
    }
  }
  if (ctx.flags.json) printJson(ctx, { namespace: plan.namespace, images: list, leftOut: picked.leftOut });
  else ctx.out(formatTags(list, plan.namespace, picked.leftOut));
  return 0;
}
