// `accelbase sbom IMAGE[:TAG] [--platform P] [--format spdx-json|cyclonedx-json] [--output FILE] [--json]`.
import { SbomFormat } from '../sbom/format.js';
import { sbomWorkflow } from '../workflows/sbom.js';
import { oneArg, platformsFlag, printJson, workspace, type Context } from './context.js';

const USAGE = 'accelbase sbom IMAGE[:TAG] [--platform P] [--format spdx-json|cyclonedx-json] [--output FILE] [--json]';

export function sbom(ctx: Context): number {
  const ref = oneArg(ctx, USAGE);
  const result = sbomWorkflow(workspace(ctx), {
    ref,
    platforms: platformsFlag(ctx),
    format: SbomFormat.parse(ctx.flags.format ?? 'spdx-json'),
    output: ctx.flags.output,
  });
  const { text, ...summary } = result;
  // The document is JSON already: without --output it is what stdout gets, --json or not.
  if (!result.file) ctx.out(text);
  else if (ctx.flags.json) printJson(ctx, summary);
  else
    ctx.out(
      `${result.file}: ${result.format} for ${result.repository}:${result.tag} (${result.platform}), ${result.packageCount} packages (installed set from ${result.installedFrom === 'lock' ? 'catalog.lock.yaml' : 'the last push'})${result.digest ? `, ${result.digest}` : ''}\n`,
    );
  return 0;
}
