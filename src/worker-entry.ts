import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'

/**
 * The URL to start a worker thread on, for a worker module `name` (without extension) beside `from`
 * (`import.meta.url` of the caller). From compiled dist it is `name.js`. From TypeScript sources (vitest, tsx) the
 * worker must load `.ts` too: on Node 20 neither an inherited nor an explicit `--import tsx` in a worker's execArgv
 * reaches the worker's own entry module, so a tiny ESM bootstrap registers tsx's loader in the worker
 * (tsx/esm/api `register()`; tsx is a devDependency) and then imports the .ts entry.
 */
export function workerEntry (from: string, name: string): URL {
  if (!from.endsWith('.ts')) return new URL(`./${name}.js`, from)
  const entry = new URL(`./${name}.ts`, from).href
  // tsx's package.json maps the `import` condition of 'tsx/esm/api' to this file (the CJS twin resolves wrongly here).
  const tsxApi = new URL('dist/esm/api/index.mjs', pathToFileURL(createRequire(from).resolve('tsx/package.json'))).href
  const bootstrap = `const { register } = await import(${JSON.stringify(tsxApi)}); register(); await import(${JSON.stringify(entry)})`
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`)
}
