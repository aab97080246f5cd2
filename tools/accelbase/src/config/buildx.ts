// The buildx settings a run config carries (`--builder`, `--cache`, ACCELBASE_PROVENANCE): their
// values and grammar. Here, below docker/, because the run config resolves them and docker/bake.ts
// takes the resolved values.

/** buildx's provenance attestation: `false` keeps the index digest reproducible. */
export type Provenance = 'false' | 'min' | 'max';

/** A buildx builder name, as buildx allows them. */
export const BUILDER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export type CacheMode = 'registry' | 'local' | 'none';
export const CACHE_MODES: readonly CacheMode[] = ['registry', 'local', 'none'];
