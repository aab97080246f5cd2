// `accelbase nightly`: the nightly rebuild in one command, for CI and for people: update the lock,
// build only what changed (or was never published), smoke-test it, publish where it really changed.
import { load, printJson, type Context } from './commands.js';
import { main } from './main.js';

/** Run another accelbase command with this run's catalog and registry, and read its JSON. */
async function step(ctx: Context, ...args: string[]): Promise<{ code: number; json: unknown }> {
  let out = '';
  const shared = ['--catalog', ctx.flags.catalog, ...(ctx.flags.registry ? ['--registry', ctx.flags.registry] : [])];
  const code = await main([...args, ...shared, '--json'], (t) => void (out += t));
  return { code, json: out.trim() ? JSON.parse(out) : undefined };
}

export async function nightly(ctx: Context): Promise<number> {
  const update = (await step(ctx, 'update')).json as { lockChanged: boolean; changes: unknown[]; unresolved: unknown[] };
  const affected = ((await step(ctx, 'affected', '--base', 'HEAD')).json as { images: string[] }).images;
  const loaded = load(ctx);
  // Never published (no digest in the lock) counts as changed: the first night builds everything.
  const unpublished = [...loaded.model.images.values()]
    .filter((i) => !Object.values(loaded.lock.images[i.name]?.platforms ?? {}).some((p) => p?.digest))
    .map((i) => i.name);
  const wanted = [...new Set([...affected, ...unpublished])];
  const result = { lockChanged: update.lockChanged, changes: update.changes.length, unresolved: update.unresolved.length, wanted, built: [] as string[], published: 0 };
  let failed = false;
  if (wanted.length) {
    const build = await step(ctx, 'build', ...wanted, '--push', '--keep-going');
    failed = build.code !== 0;
    const results = (build.json as { results: { image: string; status: string }[] }).results;
    result.built = results.filter((r) => r.status === 'built' || r.status === 'cached').map((r) => r.image);
    if (result.built.length) {
      failed = (await step(ctx, 'smoke', ...result.built)).code !== 0 || failed;
      result.published = ((await step(ctx, 'publish', ...result.built)).json as { published: number }).published;
    }
  }
  if (ctx.flags.json) printJson(ctx, result);
  else {
    ctx.out(`lock ${result.lockChanged ? `changed (${result.changes} package versions)` : 'unchanged'}; ${result.unresolved} unresolved\n`);
    ctx.out(`built: ${result.built.join(', ') || 'nothing'}\npublished: ${result.published}\n`);
  }
  return failed ? 1 : 0;
}
