import { describe, expect, it } from 'vitest';
import { registryConfigText } from './registry.js';

describe('registry', () => {
  it('serves the registry on loopback only, storing under the given folder', () => {
    const text = registryConfigText('/e/registry');
    expect(text).toContain('  addr: 127.0.0.1:5000\n');
    expect(text).toContain('rootdirectory: "/e/registry"');
  });
});
