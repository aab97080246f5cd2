// Debian's names for what the catalog refers to: binary packages, architectures, archive components.
import { z } from 'zod';
import { pattern } from '../lib/grammar.js';

/** Debian policy 5.6.1: lower case, digits, + - . ; at least two characters, starts alphanumeric. */
export const DebPackageName = pattern(/^[a-z0-9][a-z0-9+.-]+$/, 'Debian package name', 128);

/** Architectures a catalog package or apt repository can be built for. */
export const DebianArchitecture = z.enum(['amd64', 'arm64', 'armhf', 'i386', 'ppc64el', 's390x']);

/** Every component of Debian's main archive since bookworm. */
export const DEBIAN_COMPONENTS = ['main', 'contrib', 'non-free', 'non-free-firmware'] as const;
