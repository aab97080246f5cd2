// Rendering speed: the real catalog against a bare Node start, and how rendering scales.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCatalog } from '../src/catalog/load.js';
import { emptyLock } from '../src/catalog/lock.js';
import { run } from '../src/exec.js';
import { renderWorkspace } from '../src/render/pipeline.js';
import { stampFile } from '../src/render/stamp.js';

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function timeCommand(
  file: string,
  args: string[],
  cwd: string,
  runs = 5,
  before?: () => void,
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    before?.();
    const start = performance.now();
    await run(file, args, { cwd });
    times.push(performance.now() - start);
  }
  return median(times);
}

/** A catalog with `n` accelerator images (10 variants per accelerator) on the fixture's sources. */
export function syntheticCatalog(n: number): string {
  const lines = [
    'version: 1',
    'registry: { namespace: bench }',
    'defaultDistribution: trixie',
    'distributions: { trixie: { version: "13", python: "3.13" } }',
    'minideb: { distributions: [trixie], platforms: [linux/amd64, linux/arm64], smoke: { command: ["true"], expect: "." } }',
    'sources: { debian: { type: debian, components: [main] } }',
    'accelerators:',
  ];
  for (let a = 0; a < n / 10; a++) {
    lines.push(`  acc${a}:`, `    description: accelerator ${a}`, '    variants:');
    for (let v = 0; v < 10; v++) {
      lines.push(
        `      v${v}:`,
        `        base: ${v === 0 ? 'minideb:trixie' : `acc${a}-v0`}`,
        `        packages: [pkg${a}-${v}, libfoo${v}, clinfo]`,
        `        env: { ACC_${a}_${v}: "/opt/acc${a}" }`,
        '        smoke: { command: [clinfo, -l], expect: "Device" }',
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export function renderInProcess(root: string, text: string): number {
  const start = performance.now();
  const { model } = parseCatalog('bench.yaml', text, new Set());
  const files = renderWorkspace(root, model, emptyLock());
  if (files.size === 0) throw new Error('rendered nothing');
  return performance.now() - start;
}

export async function benchCatalog(repoRoot: string, bin: string): Promise<Record<string, number>> {
  const ws = mkdtempSync(join(tmpdir(), 'accelbase-bench-'));
  try {
    for (const p of ['catalog.yaml', 'generators']) cpSync(join(repoRoot, p), join(ws, p), { recursive: true });
    const node = await timeCommand('node', ['-e', '0'], ws, 7);
    await run('node', [bin, 'render', '--quiet'], { cwd: ws });
    // In full: the render stamp removed before each run, so the catalog is loaded and every file rendered.
    const full = await timeCommand('node', [bin, 'render', '--quiet'], ws, 7, () =>
      rmSync(stampFile(ws), { force: true }),
    );
    const render = await timeCommand('node', [bin, 'render', '--quiet'], ws, 7);
    const check = await timeCommand('node', [bin, 'render', '--check', '--quiet'], ws, 7);
    const c100 = syntheticCatalog(100);
    const c1000 = syntheticCatalog(1000);
    renderInProcess(repoRoot, c100); // warm up the module and template caches
    const r100 = median([1, 2, 3].map(() => renderInProcess(repoRoot, c100)));
    const r1000 = median([1, 2, 3].map(() => renderInProcess(repoRoot, c1000)));
    if (!readFileSync(join(ws, 'docker-bake.json'), 'utf8').includes('"target"'))
      throw new Error('render wrote no bake file');
    return { nodeMs: node, renderMs: render, fullMs: full, checkMs: check, r100Ms: r100, r1000Ms: r1000 };
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
}
