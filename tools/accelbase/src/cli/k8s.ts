// `accelbase k8s IMAGE[:TAG]`: a Pod spec fragment placing the image, never privileged, and the
// device plugin its node must run; with `--policy kyverno|policy-controller`, an admission policy
// requiring its signature and signed SBOM.
import { placementYaml } from '../plan/k8s.js';
import { type PolicyKind, policyYaml } from '../sign/policy.js';
import { placementWorkspace } from '../workflows/k8s.js';
import { policyWorkspace } from '../workflows/policy.js';
import { oneArg, printJson, workflowRun, workspace, type Context } from './context.js';
import { UserError } from '../errors.js';

const USAGE = 'accelbase k8s IMAGE[:TAG] [--policy kyverno|policy-controller [--public-key F]] [--json]';

export async function k8s(ctx: Context): Promise<number> {
  const ws = workspace(ctx);
  const ref = oneArg(ctx, USAGE);
  const { policy, identity, issuer } = ctx.flags;
  const publicKey = ctx.flags['public-key'];
  if (!policy) {
    if (publicKey || identity || issuer)
      throw new UserError('--public-key, --identity and --issuer go with --policy', 2);
    const placement = placementWorkspace(ws, ref);
    if (ctx.flags.json) printJson(ctx, placement);
    else ctx.out(placementYaml(placement));
    return 0;
  }
  const doc = await policyWorkspace(
    ws,
    { ref, kind: policy as PolicyKind, publicKeyFile: publicKey, identity, issuer },
    workflowRun(ctx),
  );
  if (ctx.flags.json) printJson(ctx, doc);
  else ctx.out(policyYaml(doc));
  return 0;
}
