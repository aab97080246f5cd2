import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tools/**/src/**/*.spec.ts', 'tools/ci/**/*.spec.ts', 'generators/**/*.spec.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
  },
});
