import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.spec.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // SQLite files, workers and HTTP listeners per file: forks keep native handles isolated.
    pool: 'forks'
  }
})
