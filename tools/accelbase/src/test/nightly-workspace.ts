// A small catalog repository for exercising the nightly flow (engine test and `npm run bench`):
// minideb bookworm and PoCL on it, amd64 only, committed in a fresh git repository.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../exec.js';

export const NIGHTLY_CATALOG = `version: 1
registry: { namespace: acceleratorbase }
defaultDistribution: bookworm
distributions: { bookworm: { version: "12", python: "3.11" } }
minideb:
  distributions: [bookworm]
  platforms: [linux/amd64]
  smoke: { command: [sh, -c, dpkg --print-architecture], expect: "^{arch}$" }
sources:
  debian: { type: debian, components: [main] }
accelerators:
  opencl:
    description: OpenCL through PoCL
    variants:
      pocl:
        base: minideb:bookworm
        runtime: pocl-opencl-icd
        # Ranges keep out backports, which bookworm's main suite does not carry.
        packages: [{ name: pocl-opencl-icd, version: "<6" }, { name: clinfo, version: "<3.0.25" }]
        smoke: { command: [clinfo, -l], expect: "Device #0" }
`;

export interface NightlyWorkspace {
  dir: string;
  git: (...args: string[]) => string;
  accelbase: (args: string[], env?: Record<string, string>) => ReturnType<typeof run>;
}

/** Render, bootstrap the rootfs (from the real mirror) and commit; returns helpers bound to it. */
export async function createNightlyWorkspace(repoRoot: string): Promise<NightlyWorkspace> {
  const dir = mkdtempSync(join(tmpdir(), 'accelbase-nightly-'));
  const bin = join(repoRoot, 'tools', 'accelbase', 'bin', 'accelbase.js');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=accelbase', '-c', 'user.email=accelbase@example.org', ...args], {
      cwd: dir,
      encoding: 'utf8',
    });
  const accelbase = (args: string[], env: Record<string, string> = {}) =>
    run('node', [bin, ...args, '--catalog', join(dir, 'catalog.yaml')], {
      cwd: dir,
      env,
      allowFailure: true,
      timeoutMs: 40 * 60_000,
    });
  writeFileSync(join(dir, 'catalog.yaml'), NIGHTLY_CATALOG);
  mkdirSync(join(dir, 'generators'));
  for (const d of ['templates', 'device-queries'])
    cpSync(join(repoRoot, 'generators', d), join(dir, 'generators', d), { recursive: true });
  writeFileSync(join(dir, '.gitignore'), '.accelbase/\n');
  for (const args of [['render'], ['rootfs', '--suite', 'bookworm', '--arch', 'amd64']]) {
    const r = await accelbase(args);
    if (r.exitCode !== 0) throw new Error(`accelbase ${args.join(' ')} failed:\n${r.stderr.slice(-2000)}`);
  }
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'catalog');
  return { dir, git, accelbase };
}
