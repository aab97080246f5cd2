import { defineConfig } from 'vitest/config';

// Engine tier: real dockerd, registry and buildx; run after `accelbase engine up`.
export default defineConfig({
  test: {
    include: ['tools/**/src/**/*.itg.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 40 * 60_000,
    hookTimeout: 40 * 60_000,
    fileParallelism: false,
  },
});
