import { describe, expect, it } from 'vitest';
import { engineHome, enginePaths } from './paths.js';

describe('engineHome', () => {
  it('honours ACCELBASE_ENGINE_HOME', () => {
    expect(engineHome({ ACCELBASE_ENGINE_HOME: '/srv/engine' }, 1000)).toBe('/srv/engine');
  });
  it('uses /var/cache for root and ~/.cache otherwise', () => {
    expect(engineHome({}, 0)).toBe('/var/cache/accelbase/engine');
    expect(engineHome({}, 1000)).toMatch(/\/\.cache\/accelbase\/engine$/);
  });
  it('keeps every path under the home', () => {
    const p = enginePaths('/e');
    for (const v of Object.values(p)) expect(v.startsWith('/e')).toBe(true);
    expect(p.socket).toBe('/e/docker.sock');
  });
});
