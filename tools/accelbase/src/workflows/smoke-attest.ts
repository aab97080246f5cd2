// After `smoke`: each outcome attached to the platform manifest it tested, as an in-toto test-result
// statement pushed as an OCI referrer beside the SBOM (what `show --registry` reads back), and
// attested with cosign too when ACCELBASE_SIGNING_KEY is set. Only images smoke ran from a registry
// by digest: an image loaded into the engine has no manifest there to attach to.
import type { Run } from '../config/run-config.js';
import { UserError } from '../errors.js';
import { hasManifest, platformDescriptors, splitRepository } from '../oci/registry.js';
import { attachReferrer } from '../sbom/attach.js';
import { openSigning, signAndAttest } from '../sign/sign.js';
import { signerOf } from '../sign/signer.js';
import { IN_TOTO_MEDIA_TYPE, TEST_RESULT_PREDICATE, testResultStatement } from '../smoke/attestation.js';
import type { SmokeResult } from '../smoke/outcome.js';

/** `repository@digest` of a pushed image, where the reference is one (a tag or a local image is not). */
export function pushedReference(ref: string): { repository: string; digest: string } | undefined {
  const at = ref.lastIndexOf('@sha256:');
  if (at < 0) return undefined;
  const repository = ref.slice(0, at);
  try {
    splitRepository(repository);
  } catch {
    return undefined;
  }
  return { repository, digest: ref.slice(at + 1) };
}

/** Attach each result's outcome to what it tested; a registry that refuses is a warning. The attached artifacts. */
export async function attachSmokeOutcomes(results: readonly SmokeResult[], run: Run, created: string) {
  const attached: { image: string; platform: string; subject: string; artifact: string }[] = [];
  const signer = signerOf(run.config.signingKey);
  const session = signer ? await openSigning(signer, run.config.engineHome) : undefined;
  try {
    for (const r of results) {
      const pushed = pushedReference(r.ref);
      if (!pushed) continue;
      try {
        if (!(await hasManifest(pushed.repository, pushed.digest))) continue; // loaded, never pushed
        const subject = (await platformDescriptors(pushed.repository, pushed.digest, r.platform))[r.platform];
        if (!subject) continue;
        const statement = testResultStatement(pushed.repository, subject.digest, r);
        const done = await attachReferrer(
          pushed.repository,
          subject,
          IN_TOTO_MEDIA_TYPE,
          new TextEncoder().encode(JSON.stringify(statement)),
          `${r.image}.${r.platform.replace('/', '-')}.smoke.intoto.json`,
          { 'org.opencontainers.image.created': created, 'in-toto.io/predicate-type': TEST_RESULT_PREDICATE },
        );
        attached.push({ image: r.image, platform: r.platform, subject: subject.digest, artifact: done.artifact });
        run.reporter.info(`attested ${r.image} ${r.platform}: ${r.outcome} on ${subject.digest}`);
        if (session)
          await signAndAttest(session, pushed.repository, subject.digest, [
            {
              type: TEST_RESULT_PREDICATE,
              uri: TEST_RESULT_PREDICATE,
              label: r.platform,
              predicate: statement.predicate,
            },
          ]);
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        run.reporter.warn(`${r.image} ${r.platform}: smoke outcome not attached: ${e.message}`);
      }
    }
  } finally {
    session?.dispose();
  }
  return attached;
}
