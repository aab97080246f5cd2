// `accelbase tags`, `show` and `k8s`: load, call plan/pick.ts or plan/k8s.ts, print.
import { UserError } from '../errors.js';
import { podSpecFor, podSpecYaml } from '../plan/k8s.js';
import { formatTags, pickTags } from '../pick/pick.js';
import { applyRegistryTags, pinCandidate } from '../pick/registry-tags.js';
import { resolveImage } from '../pick/resolve.js';
import { formatShow, showImage } from '../pick/show.js';
import { getManifest, listTags, splitRepository } from '../oci/registry.js';
import { splitList } from './args.js';
import { load, planFor, printJson, type Context } from './commands.js';

function oneImage(ctx: Context, usage: string): string {
  if (ctx.args.length !== 1) throw new UserError(`usage: ${usage}`, 2);
  return ctx.args[0];
}

export async function tags(ctx: Context): Promise<number> {
  if (ctx.args.length) throw new UserError('usage: accelbase tags [--accelerator A] [--variant V] [--arch A] [--dist D] [--runtime PKG@RANGE] [--registry NS [--pin]] [--json]', 2);
  const loaded = load(ctx);
  const plan = planFor(ctx, loaded);
  const { accelerator, variant, dist, runtime } = ctx.flags;
  let list = pickTags(plan, loaded.model, { accelerator, variant, dist, runtime, arch: splitList(ctx.flags.arch) });
  const check = ctx.flags.registry !== undefined || ctx.flags.pin;
  if (check) {
    // Reading tags and digests needs a registry host: fail once, clearly, before any request.
    try {
      splitRepository(`${plan.namespace}/x`);
    } catch {
      throw new UserError(`${ctx.flags.pin ? '--pin' : '--registry'} needs a registry to read from: --registry HOST[:PORT]/NAMESPACE (got "${plan.namespace}")`, 2);
    }
    list = await Promise.all(list.map(async (c) => applyRegistryTags(c, await listTags(c.repository))));
    if (list.every((c) => !c.inRegistry)) {
      throw new UserError(`none of the matching images is in ${plan.namespace}: ${list.map((c) => `${c.repository}:${c.tag}`).join(', ')} (push with \`accelbase build --push --registry ${plan.namespace}\`)`);
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
  if (ctx.flags.json) printJson(ctx, { namespace: plan.namespace, images: list });
  else ctx.out(formatTags(list, plan.namespace));
  return 0;
}

export function show(ctx: Context): number {
  const loaded = load(ctx);
  const details = showImage(planFor(ctx, loaded), loaded.model, oneImage(ctx, 'accelbase show IMAGE[:TAG] [--json]'));
  if (ctx.flags.json) printJson(ctx, details);
  else ctx.out(formatShow(details));
  return 0;
}

export function k8s(ctx: Context): number {
  const loaded = load(ctx);
  const { image, tag } = resolveImage(planFor(ctx, loaded), loaded.model, oneImage(ctx, 'accelbase k8s IMAGE[:TAG] [--json]'));
  const spec = podSpecFor(image, tag);
  if (ctx.flags.json) printJson(ctx, spec);
  else ctx.out(podSpecYaml(spec));
  return 0;
}
