// `npm run bench`: speed and size ratios, all measured in this one run. Not a test: nothing here fails on a number.
// ACCELBASE_BENCH=render,catalog (any of SECTIONS) runs only those sections; by default, all of them.
import { join } from 'node:path';
import { benchCatalog } from './catalog.js';
import { benchCorpus } from './corpus.js';
import {
  benchDownloads,
  benchMinideb,
  benchNightly,
  benchRebuild,
  benchReproducible,
  benchSmoke,
  engineAvailable,
} from './engine.js';
import { benchPeer } from './peer.js';
import { benchSplit } from './scaleout.js';
import { benchWholeCatalog, prepareRootfs } from './whole-catalog.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const bin = join(repoRoot, 'tools', 'accelbase', 'bin', 'accelbase.js');
const ms = (n: number) => `${(n / 1000).toFixed(2)} s`;
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const row = (label: string, value: string) => console.log(`  ${label.padEnd(44)} ${value}`);

const SECTIONS = [
  'render',
  'corpus',
  'minideb',
  'rebuild',
  'split',
  'smoke',
  'nightly',
  'reproducible',
  'downloads',
  'peer',
  'catalog',
] as const;
const chosen = (process.env.ACCELBASE_BENCH ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
for (const name of chosen)
  if (!(SECTIONS as readonly string[]).includes(name))
    throw new Error(`ACCELBASE_BENCH: ${name} is not one of ${SECTIONS.join(', ')}`);
const want = (section: (typeof SECTIONS)[number]) => chosen.length === 0 || chosen.includes(section);
// ACCELBASE_BENCH_PLATFORMS=linux/amd64 limits the whole-catalog section to one platform (cold arm64 under
// qemu is most of its time); by default both.
const PLATFORMS = ['linux/amd64', 'linux/arm64'];
const catalogPlatforms = (process.env.ACCELBASE_BENCH_PLATFORMS ?? PLATFORMS.join(','))
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
for (const p of catalogPlatforms)
  if (!PLATFORMS.includes(p)) throw new Error(`ACCELBASE_BENCH_PLATFORMS: ${p} is not one of ${PLATFORMS.join(', ')}`);

if (want('render')) {
  const c = await benchCatalog(repoRoot, bin);
  console.log('render');
  row('node -e 0', `${c.nodeMs.toFixed(1)} ms`);
  row('accelbase render, in full (real catalog)', `${c.fullMs.toFixed(1)} ms`);
  row('accelbase render, unchanged tree', `${c.renderMs.toFixed(1)} ms`);
  row('accelbase render --check, unchanged tree', `${c.checkMs.toFixed(1)} ms`);
  row(
    'ratio render in full / bare node',
    `${(c.fullMs / c.nodeMs).toFixed(2)}  (goal <= 2: module loading and rendering, bundled)`,
  );
  row('ratio render, unchanged / bare node', `${(c.renderMs / c.nodeMs).toFixed(2)}  (goal <= 2)`);
  row('ratio render --check, unchanged / bare node', `${(c.checkMs / c.nodeMs).toFixed(2)}  (goal: close to 1)`);
  row('render 100 images (in process)', `${c.r100Ms.toFixed(1)} ms`);
  row('render 1000 images (in process)', `${c.r1000Ms.toFixed(1)} ms`);
  row('ratio render(1000) / render(100)', `${(c.r1000Ms / c.r100Ms).toFixed(2)}  (linear: 10)`);
}

if (want('corpus')) {
  const b = await benchCorpus(repoRoot);
  console.log('\nbad input (in process through main(), a fresh workspace copy per case)');
  row(
    'corpus size / wall time',
    `${b.cases} cases / ${ms(b.wallMs)}  (${b.failed.length ? `FAILED: ${b.failed.join(', ')}` : 'all refused cleanly'})`,
  );
  row('slowest case', `${b.slowest.ms.toFixed(0)} ms  (${b.slowest.name})`);
}

const engineSections = SECTIONS.filter((n) => n !== 'render' && n !== 'corpus' && want(n));
if (engineSections.length && !(await engineAvailable())) {
  console.log('\nengine benchmarks skipped: no engine answers (run `npx accelbase engine up`)');
} else if (engineSections.length) {
  if (want('minideb')) {
    const m = await benchMinideb(repoRoot);
    console.log('\nminideb (bookworm, amd64 rootfs tarball)');
    row('untrimmed debootstrap minbase (+ updates)', mb(m.untrimmed));
    for (const step of m.steps) row(`  - ${step.step}`, mb(step.bytes));
    row('trimmed, uncompressed layer', mb(m.trimmed));
    row('trimmed, compressed layer (gzip -6)', mb(m.compressed));
    row('debian:bookworm-slim (published size)', mb(74.8e6));
    row('ratio trimmed / untrimmed', (m.trimmed / m.untrimmed).toFixed(2));
    row('ratio trimmed / bookworm-slim', `${(m.trimmed / 74.8e6).toFixed(2)}  (goal <= 0.85)`);
  }

  const r = want('rebuild') || want('split') ? await benchRebuild(repoRoot, bin) : undefined;
  if (r && want('rebuild')) {
    console.log('\nrebuild: opencl-pocl + minideb trixie, amd64 + arm64, pushed to the local registry');
    row('cold (--no-cache)', ms(r.coldMs));
    row(`no-op (${r.noopStatuses.join(', ')})`, ms(r.noopMs));
    row('ratio no-op / cold', `${(r.noopMs / r.coldMs).toFixed(3)}  (goal <= 0.05)`);
  }

  if (r && want('split')) {
    const x = await benchSplit(repoRoot, bin);
    const splitMs = Math.max(x.amd64Ms, x.arm64Ms) + x.mergeMs;
    const coldSplitMs = x.amd64Ms + x.arm64Ms;
    console.log(
      '\npast one machine: the same images on engine instances standing in for runners (run one after the other)',
    );
    row('cold amd64 part (instance A, --no-cache)', ms(x.amd64Ms));
    row('cold arm64 part (instance B, --no-cache, qemu)', ms(x.arm64Ms));
    row('merge (imagetools create, both images)', ms(x.mergeMs));
    row(`fresh instance, both parts (${x.freshStatuses.join(', ')})`, ms(x.freshMs));
    row('ratio fresh-instance rebuild / cold build', `${(x.freshMs / coldSplitMs).toFixed(3)}  (goal <= 0.1)`);
    row(
      'ratio split (slower part + merge) / one-engine qemu',
      `${(splitMs / r.coldMs).toFixed(2)}  (arm64 still emulated here)`,
    );
    row(
      'PROJECTION native runners: (amd64 part + merge) / one-engine qemu',
      `${((x.amd64Ms + x.mergeMs) / r.coldMs).toFixed(2)}  (projected: arm64 natively as fast as amd64; not measured)`,
    );
  }

  if (want('smoke')) {
    const s = await benchSmoke(repoRoot, bin);
    console.log('\nsmoke: opencl-pocl on linux/amd64, image already pulled');
    row('smoke, per image (clinfo -l)', ms(s.smokeMs));
    row('whole `accelbase smoke` command, one image', ms(s.commandMs));
    row('docker run --rm IMAGE true', ms(s.bareMs));
    row('ratio smoke per image / bare run', `${(s.smokeMs / s.bareMs).toFixed(2)}  (goal <= 1.5)`);
    row('ratio whole command / bare run', `${(s.commandMs / s.bareMs).toFixed(2)}  (goal <= 2)`);
  }

  if (want('nightly')) {
    const q = await benchNightly(repoRoot);
    const count = (o: typeof q.before) =>
      `${o.packages} (${o.security} security), ${o.known} of ${o.images} images recorded`;
    console.log(
      '\nnightly: minideb bookworm + PoCL (amd64) against the mirror; minideb first bootstrapped without -security',
    );
    row('outdated installed packages before', count(q.before));
    row(
      'first night: built / published, wall time',
      `${q.first.built.length} / ${q.first.published}, ${ms(q.first.wallMs)}`,
    );
    row('outdated after the first night', `${count(q.first.after)}  (goal 0)`);
    row(
      'quiet night: built / published, wall time',
      `${q.second.built.length} / ${q.second.published}, ${ms(q.second.wallMs)}  (goal 0 / 0)`,
    );
    row('outdated after the quiet night', `${count(q.second.after)}  (goal 0)`);
  }

  if (want('reproducible')) {
    const p = await benchReproducible(repoRoot, bin);
    console.log(
      '\nreproducible images: the bench set built cold twice, each on a fresh engine instance, amd64 + arm64',
    );
    row(
      'images with the same index digest',
      `${p.identical.length} of ${p.built.length}  (goal: all; ${p.identical.join(', ') || 'none'})`,
    );
    row(
      'fraction identical',
      `${(p.identical.length / p.built.length).toFixed(2)}  (goal 1.00; the bench set, not the whole catalog)`,
    );
    row(
      'verify opencl-pocl (cold rebuild + compare)',
      `${ms(p.verifyMs)}  (${p.verifyIdentical ? 'identical' : 'DIFFERS'})`,
    );
    row(
      'ratio verify / cold build of opencl-pocl',
      `${(p.verifyMs / p.coldPoclMs).toFixed(2)}  (one image rebuilt on its published base)`,
    );
  }

  if (want('downloads')) {
    const d = await benchDownloads(repoRoot, bin);
    console.log(
      '\ndownloads once: opencl-pocl amd64 --no-cache, through a package cache started empty, then again with it warm',
    );
    row('cold, package cache empty', ms(d.emptyMs));
    row('cold, package cache warm', `${ms(d.warmMs)}  (${d.sameDigest ? 'same digest' : 'DIGESTS DIFFER'})`);
    row(
      'ratio warm / empty',
      `${(d.warmMs / d.emptyMs).toFixed(2)}  (goal <= 0.5; the .debs are a few seconds of a build whose export dominates)`,
    );
  }

  if (want('peer')) {
    const v = await benchPeer(repoRoot, bin);
    console.log(
      '\na peer side by side: hand-written Dockerfiles, one `docker buildx build --platform linux/amd64,linux/arm64 --push` per image, against `accelbase build` (minideb trixie, opencl-pocl, vulkan-lavapipe)',
    );
    row('peer cold (--no-cache)', ms(v.peerColdMs));
    row('accelbase cold (--no-cache)', ms(v.accelbaseColdMs));
    row('ratio accelbase / peer, cold', `${(v.accelbaseColdMs / v.peerColdMs).toFixed(2)}  (goal <= 0.8)`);
    row('peer no-op (same command again)', ms(v.peerNoopMs));
    row('accelbase no-op', ms(v.accelbaseNoopMs));
    row('ratio accelbase / peer, no-op', `${(v.accelbaseNoopMs / v.peerNoopMs).toFixed(2)}  (goal <= 0.2)`);
  }

  if (want('catalog')) {
    const prep = await prepareRootfs(
      repoRoot,
      bin,
      ['trixie', 'bookworm', 'bullseye'],
      catalogPlatforms.map((p) => p.slice('linux/'.length)),
    );
    console.log(
      `\nthe whole catalog, one platform at a time (${catalogPlatforms.join(', ')}): build --push --keep-going cold (--no-cache), then warm, then smoke`,
    );
    row(
      'minideb rootfs tarballs, every suite and arch',
      `${ms(prep.ms)}  (before the builds; cached per archive snapshot after)`,
    );
    for (const f of prep.failed) row('  rootfs FAILED', f);
    for (const platform of catalogPlatforms) {
      const w = await benchWholeCatalog(repoRoot, bin, platform);
      row(`${platform} cold`, ms(w.coldMs));
      row(
        `${platform} warm (${Object.entries(w.warmStatuses)
          .map(([k, n]) => `${n} ${k}`)
          .join(', ')})`,
        ms(w.warmMs),
      );
      row(`${platform} ratio warm / cold`, (w.warmMs / w.coldMs).toFixed(3));
      row(`${platform} smoke, ${w.smoke.length} images`, ms(w.smokeMs));
      for (const b of w.cold) {
        const outcome = w.smoke.find((s) => s.image === b.image)?.outcome;
        row(
          `  ${b.image}`,
          `${b.status}${b.status === 'skipped' ? ` (${b.reason})` : ` ${b.durationS.toFixed(0)} s`}${b.status === 'failed' ? ` (${b.reason})` : ''}${outcome ? `, smoke ${outcome}` : ''}`,
        );
      }
      row(
        `${platform} every image as expected here`,
        w.unexpected.length
          ? `NO: ${w.unexpected.join(', ')}`
          : 'yes (reachable: passed or no-device; the rest: unreachable source)',
      );
    }
  }
}
