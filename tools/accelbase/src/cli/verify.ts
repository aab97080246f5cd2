// `accelbase verify IMAGE[:TAG] [--platform P]`: rebuild a pushed image and compare digests; exit 1 when
// they differ. `--signature [--key K | --identity I --issuer S]`: check its signature and attestations.
import { UserError } from '../errors.js';
import { verifierFlags } from '../sign/signer.js';
import { verifySignatures } from '../workflows/signature.js';
import { verifyImage, type PlatformVerdict } from '../workflows/verify.js';
import { oneArg, platformsFlag, printJson, workflowRun, workspace, type Context } from './context.js';

function describe(v: PlatformVerdict): string {
  if (v.identical) return `${v.platform}: identical (${v.published})\n`;
  if (!v.rebuilt) return `${v.platform}: not rebuilt\n`;
  const lines = [`${v.platform}: differs (published ${v.published}, rebuilt ${v.rebuilt})`];
  if (v.config?.length) lines.push(`  config: ${v.config.join(', ')}`);
  if (v.layer) {
    lines.push(
      `  first differing layer: #${v.layer.index + 1} (published ${v.layer.published ?? 'none'}, rebuilt ${v.layer.rebuilt ?? 'none'})`,
    );
    for (const p of v.layer.paths)
      lines.push(`    ${p.change.padEnd(8)} /${p.path}${p.fields ? ` (${p.fields.join(', ')})` : ''}`);
    if (v.layer.morePaths) lines.push(`    ... and ${v.layer.morePaths} more`);
  }
  return `${lines.join('\n')}\n`;
}

async function verifySignature(ctx: Context): Promise<number> {
  if (ctx.flags.platform?.length) throw new UserError('--signature checks the index: it takes no --platform', 2);
  const verdict = await verifySignatures(
    workspace(ctx),
    oneArg(ctx, 'accelbase verify IMAGE[:TAG] --signature [--key K | --identity I --issuer S] [--json]'),
    verifierFlags(ctx.flags),
    workflowRun(ctx),
  );
  if (ctx.flags.json) printJson(ctx, verdict);
  else {
    ctx.out(`${verdict.reference} (${verdict.digest}) against ${verdict.trusted}:\n`);
    for (const c of verdict.checks)
      ctx.out(
        `${c.name}: ${c.ok ? `verified (${c.verified})` : `FAILED${c.reason ? `: ${c.reason.split('\n').at(-1)?.trim()}` : ''}`}\n`,
      );
    ctx.out(`${verdict.ok ? 'signed' : 'not verified'}\n`);
  }
  return verdict.ok ? 0 : 1;
}

export async function verify(ctx: Context): Promise<number> {
  if (ctx.flags.signature) return verifySignature(ctx);
  if (ctx.flags.key || ctx.flags.identity || ctx.flags.issuer)
    throw new UserError('--key, --identity and --issuer go with --signature', 2);
  const outcome = await verifyImage(
    workspace(ctx),
    oneArg(ctx, 'accelbase verify IMAGE[:TAG] [--platform P] [--json]'),
    platformsFlag(ctx),
    workflowRun(ctx),
  );
  if (ctx.flags.json) printJson(ctx, outcome);
  else {
    ctx.out(`${outcome.reference} (${outcome.digest}) from ${outcome.revision.slice(0, 12)}:\n`);
    for (const v of outcome.platforms) ctx.out(describe(v));
    ctx.out(`${outcome.identical ? 'identical' : 'differs'} (${outcome.durationS.toFixed(0)} s)\n`);
  }
  return outcome.identical ? 0 : 1;
}
