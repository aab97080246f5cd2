// `accelbase engine up|down|status`: the build engine and the local registry.
import { engineDown, engineStatus, engineUp } from '../engine/engine.js';
import { UserError } from '../errors.js';
import { printJson, type Context } from './context.js';

const pids = (m: Record<string, number>) =>
  Object.entries(m)
    .map(([k, v]) => `${k} (pid ${v})`)
    .join(', ');

/** Which engine this is: the run config's instance (`--instance`, ACCELBASE_INSTANCE), else the default. */
const which = (ctx: Context) => (ctx.config.instance ? `instance ${ctx.config.instance}` : 'engine');

async function up(ctx: Context): Promise<number> {
  const r = await engineUp(ctx.config);
  if (ctx.flags.json) printJson(ctx, r);
  else if (!r.managed) ctx.out(`using the existing engine at ${r.dockerHost}; registry ${r.registryUrl}\n`);
  else
    ctx.out(
      `${which(ctx)} ${r.alreadyRunning ? 'already running' : 'started'}: ${pids(r.pids)}\nDOCKER_HOST=${r.dockerHost}\nregistry: ${r.registryUrl}\n`,
    );
  return 0;
}

async function down(ctx: Context): Promise<number> {
  const r = await engineDown(ctx.config.engineHome);
  if (ctx.flags.json) printJson(ctx, r);
  else
    ctx.out(
      Object.keys(r.stopped).length
        ? `${which(ctx)} stopped: ${pids(r.stopped)}\n`
        : `${which(ctx)}: nothing to stop\n`,
    );
  return 0;
}

async function status(ctx: Context): Promise<number> {
  const s = await engineStatus(ctx.config, ctx.config.builder);
  if (ctx.flags.json) printJson(ctx, s);
  else {
    ctx.out(
      `${which(ctx)}: ${s.running ? 'running' : 'not running'} (${s.managed ? 'managed by accelbase' : 'external'}) at ${s.dockerHost}\n`,
    );
    ctx.out(
      `docker ${s.dockerVersion ?? '-'}, buildx ${s.buildxVersion ?? '-'}, cosign ${s.cosignVersion ?? '-'}, platforms: ${s.platforms.join(', ') || '-'}\n`,
    );
    if (s.builder) {
      ctx.out(`builder: ${s.builder.name}${s.builder.driver ? ` (${s.builder.driver})` : ''}\n`);
      for (const n of s.builder.nodes)
        ctx.out(
          `  node ${n.name}${n.endpoint ? ` ${n.endpoint}` : ''} ${n.status ?? '-'}: ${n.platforms.join(', ') || '-'}\n`,
        );
    }
    ctx.out(`registry: ${s.registry.url} (${s.registry.up ? 'up' : 'down'})\n`);
    ctx.out(
      `package cache: ${s.packageCache.url} (${s.packageCache.up ? 'up' : 'down: builds fetch from the mirror'})\n`,
    );
  }
  return s.running ? 0 : 1;
}

const actions: Record<string, (ctx: Context) => Promise<number>> = { up, down, status };

export async function engine(ctx: Context): Promise<number> {
  const [action] = ctx.args;
  const run = action !== undefined && Object.hasOwn(actions, action) ? actions[action] : undefined;
  if (!run || ctx.args.length > 1)
    throw new UserError('usage: accelbase engine up|down|status [--instance NAME] [--json]', 2);
  return run(ctx);
}
