/**
 * src/proof must run in a browser: bundle it the way a web app would and fail on any Node built-in reached from
 * our code, on unexpected source files, and on a drifting export list. Dependencies may reference built-ins
 * only when their package.json `browser` field disables them (esbuild then records a `(disabled):` input).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

import { build, type Metafile, type Plugin } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { makeBundle, makeCitation } from './fixtures.js'

const ROOT = join(import.meta.dirname, '..', '..')

const EXPORTS = [
  'UAL_PREFIX', 'assertBundle', 'batchLeaf', 'bodyHash', 'buildCitation', 'buildMerkleTree', 'citationBuilder', 'citationJson',
  'claimMessage', 'compareCodePoints', 'deriveAssetId', 'formatResponseSignature', 'fromHex', 'hashPair',
  'inclusionProof', 'keccak256', 'leafHash', 'ledgerEntryHash', 'ledgerEntryMessage', 'merkleRoot',
  'parseResponseSignature', 'proofReady', 'publicKeyOf', 'receiptMessage', 'requestHash', 'responseMessage', 'sortLines', 'toHex',
  'ualParts', 'useFastEd25519Verify', 'verifyAnchorProof', 'verifyBundle', 'verifyCitation', 'verifyClaim', 'verifyInclusion',
  'verifyReceipt', 'verifyResponse', 'verifySigned'
]

function isBuiltin (spec: string): boolean {
  return spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0])
}

describe('browser bundle of src/proof', () => {
  const builtins: Array<{ path: string, importer: string }> = []
  let metafile: Metafile
  let code: string
  let dir: string

  beforeAll(async () => {
    const record: Plugin = {
      name: 'record-node-builtins',
      setup (b) {
        b.onResolve({ filter: /.*/ }, args => {
          if (isBuiltin(args.path)) builtins.push({ path: args.path, importer: args.importer })
          return undefined // let esbuild resolve it (browser-field mapping included)
        })
      }
    }
    const res = await build({
      absWorkingDir: ROOT,
      entryPoints: ['src/proof/index.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [record]
    })
    expect(res.errors).toEqual([])
    metafile = res.metafile
    code = res.outputFiles[0].text
    dir = mkdtempSync(join(tmpdir(), 'cairn-proof-bundle-'))
  })
  afterAll(() => { if (dir !== undefined) rmSync(dir, { recursive: true, force: true }) })

  it('our code reaches no Node built-in', () => {
    const ours = builtins.filter(b => !b.importer.includes('/node_modules/'))
    expect(ours).toEqual([])
  })

  it('a built-in referenced by a dependency is disabled by its browser field, never bundled', () => {
    const inputs = Object.keys(metafile.inputs)
    for (const b of builtins) {
      const bare = b.path.replace(/^node:/, '').split('/')[0]
      expect(inputs.some(i => i.startsWith('(disabled):') && i.includes(`/${bare}`)), `${b.path} from ${b.importer}`).toBe(true)
    }
    for (const i of inputs) expect(i, i).toMatch(/^(?:src\/|node_modules\/|\(disabled\):node_modules\/)/)
  })

  it('bundles only src/proof, src/errors.ts and the pure src/rdf helpers from our sources (no n3, jsonld, sqlite)', () => {
    const src = Object.keys(metafile.inputs).filter(i => i.startsWith('src/'))
    for (const s of src) expect(s).toMatch(/^src\/(?:proof\/[a-z0-9-]+\.ts|errors\.ts|rdf\/(?:skolem|code-point-order)\.ts)$/)
    const deps = new Set(Object.keys(metafile.inputs).filter(i => i.startsWith('node_modules/')).map(i => i.split('/').slice(1, i.split('/')[1].startsWith('@') ? 3 : 2).join('/')))
    for (const banned of ['n3', 'jsonld', 'rdf-canonize', 'better-sqlite3', 'express', 'pino']) expect(deps.has(banned), banned).toBe(false)
  })

  it('the guard itself works: a Node built-in imported from src/proof is caught', async () => {
    const seen: string[] = []
    const plugin: Plugin = { name: 'r', setup (b) { b.onResolve({ filter: /.*/ }, a => { if (isBuiltin(a.path)) seen.push(a.path); return undefined }) } }
    await expect(build({
      absWorkingDir: ROOT,
      stdin: { contents: "import { createHash } from 'node:crypto'; export const h = createHash", resolveDir: join(ROOT, 'src/proof'), loader: 'ts' },
      bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent', plugins: [plugin]
    })).rejects.toThrow(/node:crypto/)
    expect(seen).toEqual(['node:crypto'])
  })

  it('exports exactly the documented runtime API', () => {
    const out = Object.values(metafile.outputs)[0]
    expect([...out.exports].sort()).toEqual(EXPORTS)
  })

  it('the sources use no Node-only globals', () => {
    const files = readdirSync(join(ROOT, 'src/proof')).filter(f => f.endsWith('.ts'))
    expect(files.length).toBeGreaterThan(5)
    for (const f of files) {
      const text = readFileSync(join(ROOT, 'src/proof', f), 'utf8')
      expect(text, f).not.toMatch(/from ['"]node:|\bBuffer\b|\bprocess\b|__dirname|__filename|\brequire\(|from ['"](?:fs|path|crypto|os|util|buffer)['"]/)
    }
  })

  it('the bundle runs: WASM init, hashing and a full citation and bundle verification', async () => {
    const file = join(dir, 'proof.mjs')
    writeFileSync(file, code)
    const mod = await import(/* @vite-ignore */ pathToFileURL(file).href) as typeof import('../../src/proof/index.js')
    await mod.proofReady()
    expect(mod.toHex(mod.keccak256(new Uint8Array()))).toBe('0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470')
    const bundle = makeBundle()
    expect(mod.verifyCitation(makeCitation(bundle)).ok).toBe(true)
    expect(mod.verifyBundle(bundle).ok).toBe(true)
  })
})
