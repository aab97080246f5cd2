import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pushBlob } from './registry.js';
import { pushLayout } from './upload.js';

// A fake of the distribution API subset pushLayout speaks (blob HEAD, upload POST/PUT, cross-repository
// mount, manifest PUT), on 127.0.0.1: the real docker-registry lives in the engine prefix, engine tier only.
const blobs = new Map<string, Set<string>>(); // repository -> digests
const manifests = new Map<string, { type: string; body: string }>(); // repo:reference
const requests: string[] = [];
let server: Server;
let base = '';

const digestOf = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://x');
      requests.push(`${req.method} ${url.pathname}${url.search}`);
      const body = Buffer.concat(chunks);
      let m = /^\/v2\/(.+)\/blobs\/(sha256:[0-9a-f]{64})$/.exec(url.pathname);
      if (m && req.method === 'HEAD') return void res.writeHead(blobs.get(m[1])?.has(m[2]) ? 200 : 404).end();
      m = /^\/v2\/(.+)\/blobs\/uploads\/$/.exec(url.pathname);
      if (m && req.method === 'POST') {
        const mount = url.searchParams.get('mount');
        const from = url.searchParams.get('from');
        if (mount && from && blobs.get(from)?.has(mount)) {
          blobs.set(m[1], (blobs.get(m[1]) ?? new Set()).add(mount));
          return void res.writeHead(201).end();
        }
        return void res.writeHead(202, { Location: `/v2/${m[1]}/blobs/uploads/u1?state=s` }).end();
      }
      m = /^\/v2\/(.+)\/blobs\/uploads\/u1$/.exec(url.pathname);
      if (m && req.method === 'PUT') {
        const digest = url.searchParams.get('digest')!;
        if (digestOf(body) !== digest || url.searchParams.get('state') !== 's')
          return void res.writeHead(400).end('bad digest');
        blobs.set(m[1], (blobs.get(m[1]) ?? new Set()).add(digest));
        return void res.writeHead(201).end();
      }
      m = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
      if (m && req.method === 'PUT') {
        const refs = JSON.parse(body.toString()) as {
          config?: { digest: string };
          layers?: { digest: string }[];
          manifests?: { digest: string }[];
        };
        const missing =
          [...(refs.config ? [refs.config] : []), ...(refs.layers ?? [])].some(
            (b) => !blobs.get(m![1])?.has(b.digest),
          ) || (refs.manifests ?? []).some((c) => !manifests.has(`${m![1]}@${c.digest}`));
        if (missing) return void res.writeHead(400).end('{"errors":[{"code":"BLOB_UNKNOWN"}]}');
        manifests.set(`${m[1]}${m[2].startsWith('sha256:') ? '@' : ':'}${m[2]}`, {
          type: String(req.headers['content-type']),
          body: body.toString(),
        });
        return void res.writeHead(201, { 'Docker-Content-Digest': digestOf(body) }).end();
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** An OCI layout with one image: a config, two layers, a manifest; index.json naming it `names` times. */
function layout(dir: string, names = 1): { manifest: string; layers: string[] } {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const put = (b: string) => {
    const d = digestOf(b);
    writeFileSync(join(dir, 'blobs', 'sha256', d.slice(7)), b);
    return d;
  };
  const config = put('{"architecture":"amd64","os":"linux"}');
  const layers = [put('layer one'), put('layer two')];
  const manifestText = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config },
    layers: layers.map((digest) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest })),
  });
  const manifest = put(manifestText);
  const entry = {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: manifest,
    size: manifestText.length,
  };
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, manifests: Array.from({ length: names }, () => entry) }),
  );
  return { manifest, layers };
}

describe('pushLayout (against a registry fake on 127.0.0.1)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'accelbase-upload-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('by digest: blobs first, then the manifest under its digest and no tag', async () => {
    const l = layout(join(dir, 'a'));
    const digest = await pushLayout(join(dir, 'a'), `${base}/ns/img`);
    expect(digest).toBe(l.manifest);
    expect(manifests.has(`ns/img@${l.manifest}`)).toBe(true);
    expect([...manifests.keys()].filter((k) => k.startsWith('ns/img:'))).toEqual([]);
    expect(requests.at(-1)).toBe(`PUT /v2/ns/img/manifests/${l.manifest}`);
  });

  test('blobs the base repository has are mounted, not uploaded; tags go last; one entry per name', async () => {
    const l = layout(join(dir, 'b'), 2);
    requests.length = 0;
    await pushLayout(join(dir, 'b'), `${base}/ns/derived`, { from: [`${base}/ns/img`], tags: ['t1', 't2'] });
    expect(requests.filter((r) => r.startsWith('POST')).every((r) => r.includes('mount='))).toBe(true);
    expect(requests.some((r) => r.startsWith('PUT /v2/ns/derived/blobs/uploads'))).toBe(false);
    expect(requests.slice(-3)).toEqual([
      `PUT /v2/ns/derived/manifests/${l.manifest}`,
      'PUT /v2/ns/derived/manifests/t1',
      'PUT /v2/ns/derived/manifests/t2',
    ]);
  });

  test('a missing or corrupt blob fails naming the layout, before any manifest is pushed', async () => {
    const l = layout(join(dir, 'c'));
    writeFileSync(join(dir, 'c', 'blobs', 'sha256', l.layers[1].slice(7)), 'tampered');
    requests.length = 0;
    await expect(pushLayout(join(dir, 'c'), `${base}/ns/other`)).rejects.toThrow(
      `${join(dir, 'c')}: blob ${l.layers[1]} does not match its digest`,
    );
    expect(requests.some((r) => r.includes('/manifests/'))).toBe(false);
    await expect(pushLayout(join(dir, 'none'), `${base}/ns/other`)).rejects.toThrow(/not an OCI image layout/);
  });

  test('a blob held in memory goes through the same upload: sent once, then found present', async () => {
    const bytes = new TextEncoder().encode('an sbom');
    requests.length = 0;
    expect(await pushBlob(`${base}/ns/sbom`, bytes)).toEqual({ digest: digestOf('an sbom'), size: bytes.length });
    await pushBlob(`${base}/ns/sbom`, bytes);
    expect(requests).toEqual([
      `HEAD /v2/ns/sbom/blobs/${digestOf('an sbom')}`,
      'POST /v2/ns/sbom/blobs/uploads/',
      `PUT /v2/ns/sbom/blobs/uploads/u1?state=s&digest=${encodeURIComponent(digestOf('an sbom'))}`,
      `HEAD /v2/ns/sbom/blobs/${digestOf('an sbom')}`,
    ]);
  });
});
