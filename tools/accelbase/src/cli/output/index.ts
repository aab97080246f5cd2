// Each command's --json output as a zod schema, and as the JSON Schema published with the package
// (tools/accelbase/schemas/<command>.schema.json; schemas.spec.ts keeps those files equal to these).
// Errors have their own schema (errors.schema.json), whatever the command.
import { z } from 'zod';
import type { CommandName } from '../table/commands.js';
import * as catalog from './catalog.js';
import * as engine from './engine.js';
import * as pick from './pick.js';

export const outputSchemas: Record<CommandName, z.ZodType> = {
  validate: catalog.validate,
  render: catalog.render,
  plan: catalog.plan,
  ls: catalog.ls,
  schema: catalog.schema,
  affected: catalog.affected,
  diff: catalog.diff,
  update: catalog.update,
  engine: engine.engine,
  rootfs: engine.rootfs,
  build: engine.build,
  merge: engine.merge,
  smoke: engine.smoke,
  publish: engine.publish,
  verify: engine.verify,
  nightly: engine.nightly,
  prune: engine.prune,
  docs: engine.docs,
  outdated: catalog.outdated,
  tags: pick.tags,
  show: pick.show,
  k8s: pick.k8s,
  sbom: pick.sbom,
  variants: pick.variants,
  'rewrite-from': pick.rewriteFrom,
};

/** Where the package publishes them, relative to tools/accelbase/. */
export const SCHEMAS_DIR = 'schemas';

export const outputSchemaFile = (command: CommandName) => `${SCHEMAS_DIR}/${command}.schema.json`;

/** `accelbase <command> --json`'s output as a JSON Schema (2020-12), as the file holds it. */
export function outputSchemaText(command: CommandName): string {
  const schema = z.toJSONSchema(outputSchemas[command], { io: 'output', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: `accelbase ${command} --json` }, null, 2)}\n`;
}
