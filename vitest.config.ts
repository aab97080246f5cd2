import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tools/**/src/**/*.spec.ts', 'tools/ci/**/*.spec.ts', 'generators/**/*.spec.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    // No network in the unit tier: a connection or DNS lookup beyond loopback fails the test.
    setupFiles: ['tools/accelbase/src/test/no-network.ts'],
  },
});
