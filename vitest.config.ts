import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: {
    // graphql 16 ships index.js (CJS, what Node loads for @apollo/server) and index.mjs (what Vite would pick for
    // our sources): two copies fail graphql's instanceof checks. Load the one Node loads.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }]
  },
  test: {
    include: ['test/**/*.spec.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    // SQLite files, workers and HTTP listeners per file: forks keep native handles isolated.
    pool: 'forks'
  }
})
