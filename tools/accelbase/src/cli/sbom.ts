// `accelbase sbom IMAGE[:TAG] [--platform P] [--format spdx-json|cyclonedx-json] [--output FILE] [--json]`.
import { SbomFormat } from '../sbom/format.js';
import { sbomWorkflow } from '../workflows/sbom.js';
import { oneArg, platformsFlag, printJson, workspace, type Context } from './context.js';

const INSTALLED_FROM = { lock: 'catalog.lock.yaml', build: 'the last push', registry: "the registry's SBOM" } as const;

const USAGE = 'accelbase sbom IMAGE[:TAG] [--platform P] [--format spdx-json|cyclonedx-json] [--output FILE] [--json]';

export async function sbom(ctx: Context): Promise<number> {
  const ref = oneArg(ctx, USAGE);
  const result = await sbomWorkflow(workspace(ctx), {
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
      `${result.file}: ${result.format} for ${result.repository}:${result.tag} (${result.platform}), ${result.packageCount} packages (installed set from ${INSTALLED_FROM[result.installedFrom]})${result.digest ? `, ${result.digest}` : ''}\n`,
    );
  return 0;
}
