// `accelbase show IMAGE[:TAG]`: base chain, locked packages, device flags, placement, smoke, tags; with
// `--signature`, what the registry holds: signed or unsigned, by which key or identity, the attestations.
import { formatShow } from '../pick/show.js';
import { type SignatureStatus, signatureStatus } from '../workflows/signature.js';
import { showWorkspace } from '../workflows/show.js';
import { oneArg, printJson, workflowRun, workspace, type Context } from './context.js';

/** The lines show adds for `--signature`. */
export function formatSignatureStatus(s: SignatureStatus): string {
  const lines = [`signature: ${s.reference} (${s.digest})`];
  if (!s.signed) lines.push('  unsigned');
  for (const sig of s.signatures)
    lines.push(
      sig.kind === 'keyless'
        ? `  signed keyless by ${sig.identity ?? 'an unnamed identity'} (issuer ${sig.issuer ?? 'unknown'})`
        : `  signed by ${s.signedByConfiguredKey ? `key ${s.signedByConfiguredKey}` : 'a key (set ACCELBASE_SIGNING_KEY, or run verify --signature --key K, to check which)'}`,
    );
  const counts = new Map<string, number>();
  for (const t of s.attestations) counts.set(t, (counts.get(t) ?? 0) + 1);
  for (const [type, n] of counts) lines.push(`  attestation: ${type}${n > 1 ? ` x${n}` : ''}`);
  return `${lines.join('\n')}\n`;
}

export async function show(ctx: Context): Promise<number> {
  const ws = workspace(ctx);
  const ref = oneArg(ctx, 'accelbase show IMAGE[:TAG] [--signature] [--json]');
  const details = await showWorkspace(ws, ref);
  const signature = ctx.flags.signature ? await signatureStatus(ws, ref, workflowRun(ctx)) : undefined;
  if (ctx.flags.json) printJson(ctx, signature ? { ...details, signature } : details);
  else ctx.out(formatShow(details) + (signature ? formatSignatureStatus(signature) : ''));
  return 0;
}
