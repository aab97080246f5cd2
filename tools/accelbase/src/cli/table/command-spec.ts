// What the command table's entries are made of (command-spec.ts), and the argument and option
// docs several commands share, written once: commands.ts is the table itself.
import type { Command } from '../context.js';
import type { EveryCommandOption, OptionDoc, OptionName } from './options.js';

export interface ArgumentDoc {
  /** As the usage line shows it: `IMAGE...`, `IMAGE[:TAG]`, `up|down|status`. */
  name: string;
  optional?: boolean;
  description: string;
}

/** An option a command takes; `required` ones show in its usage line. */
export interface CommandOptionDoc extends OptionDoc {
  required?: boolean;
}

export interface CommandSpec {
  /** Where the global help lists it. */
  group: 'Catalog' | 'Engine, builds and smoke tests' | 'Picking a base image' | 'App variants';
  /** One line: what it does. */
  summary: string;
  arguments: readonly ArgumentDoc[];
  /** The options it takes beyond those every command takes: any other is refused, never ignored. */
  options: Readonly<Partial<Record<Exclude<OptionName, EveryCommandOption>, CommandOptionDoc>>>;
  /** Commands load on first use: `validate` or `render` should not pay for the engine, Nx or docs code. */
  load: () => Promise<Command>;
}

export const instance: CommandOptionDoc = {
  value: 'NAME',
  description:
    'use engine instance NAME (its own dockerd, data root, socket and builders, sharing the registry) instead of the default engine; also ACCELBASE_INSTANCE',
};
export const verifierKey: CommandOptionDoc = {
  value: 'K',
  description: 'the public key (file or KMS URI) to check against (default: the public half of ACCELBASE_SIGNING_KEY)',
};
export const identity: CommandOptionDoc = {
  value: 'I',
  description: "a keyless signature's certificate identity (the signing workflow), with --issuer",
};
export const issuer: CommandOptionDoc = {
  value: 'S',
  description: "a keyless signature's OIDC issuer, e.g. https://token.actions.githubusercontent.com",
};
export const onlyPlatforms: CommandOptionDoc = {
  value: 'P',
  description: "these platforms only, repeated or comma-separated (default: each image's own)",
};
export const images = (what: string): ArgumentDoc => ({
  name: 'IMAGE...',
  optional: true,
  description: `${what} (default: every image)`,
});
export const oneImage: ArgumentDoc = { name: 'IMAGE[:TAG]', description: 'a catalog image, and one of its tags' };
export const base: CommandOptionDoc = {
  value: 'REF',
  required: true,
  description: 'the git revision (branch, tag or commit) whose merge base with the head the change is measured from',
};
export const head: CommandOptionDoc = {
  value: 'REF',
  description: 'the revision to compare (default: the working tree, uncommitted and untracked files included)',
};
