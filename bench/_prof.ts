import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEmbeddedLedgerAnchor } from '../src/anchor/index.js'
import { keysReady, prepareGraphs, signerFromSeed, signVersion } from '../src/asset/index.js'
import { proofReady } from '../src/proof/index.js'
import { parseLine, skolemizeLine, versionIri } from '../src/rdf/index.js'
import { createAssetStore } from '../src/store/index.js'
import { generateAsset, toTurtle } from './generate.js'
await Promise.all([proofReady(), keysReady()])
const signer = signerFromSeed(new Uint8Array(32).fill(1))
const N = 1000
const rows = []
for (let i = 0; i < N; i++) {
  const [g] = await prepareGraphs({ text: toTurtle(generateAsset(42, i)), format: 'turtle' })
  const sv = signVersion(g, { signer, network: 'local' })
  const [network, publisher, assetId] = sv.ual.slice('did:cairn:'.length).split('/')
  rows.push({ sv, g, network, publisher, assetId })
}
const dir = mkdtempSync(join(tmpdir(), 'x-'))
const store = createAssetStore({ path: join(dir, 'c.sqlite') })
await store.start()
const anchor = createEmbeddedLedgerAnchor({}, { store, signer })
let tq = 0, ti = 0, ta = 0
const t0 = performance.now()
for (let b = 0; b < N; b += 100) {
  store.transaction(() => {
    const recs = []
    for (const { sv, g, network, publisher, assetId } of rows.slice(b, b + 100)) {
      let t = performance.now()
      const v = versionIri(sv.ual, 1)
      const quads = g.lines.map((l) => parseLine(skolemizeLine(l, v)))
      tq += performance.now() - t
      t = performance.now()
      recs.push(store.transaction(() => store.insertVersion({ ual: sv.ual, network, publisher, assetId, version: 1, root: sv.root, previousRoot: null, signature: sv.signature, timestamp: sv.timestamp, sourceName: null, leafHashes: g.leafHashes, quads })))
      ti += performance.now() - t
    }
    const t = performance.now()
    const proofs = anchor.anchorBatch(recs.map((r) => r.root))
    recs.forEach((r, i) => store.setAnchor(r.id, proofs[i]))
    ta += performance.now() - t
  })
}
const total = performance.now() - t0
console.log({ perAssetUs: total * 1000 / N, quadsUs: tq * 1000 / N, insertUs: ti * 1000 / N, anchorUs: ta * 1000 / N, commitUs: (total - tq - ti - ta) * 1000 / N })
