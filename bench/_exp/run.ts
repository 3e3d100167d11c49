import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { keysReady, prepareGraphs, signerFromSeed, signVersion } from '../../src/asset/index.js'
import { proofReady } from '../../src/proof/index.js'
import { parseLine, skolemizeLine, versionIri } from '../../src/rdf/index.js'
import { SqliteAssetStore } from './store.js'
import { generateAsset, toTurtle } from '../generate.js'
await Promise.all([proofReady(), keysReady()])
const signer = signerFromSeed(new Uint8Array(32).fill(1))
const N = Number(process.env.N ?? 3000)
const rows = []
for (let i = 0; i < N; i++) {
  const [g] = await prepareGraphs({ text: toTurtle(generateAsset(42, i)), format: 'turtle' })
  const sv = signVersion(g, { signer, network: 'local' })
  const [network, publisher, assetId] = sv.ual.slice('did:cairn:'.length).split('/')
  const v = versionIri(sv.ual, 1)
  rows.push({ ual: sv.ual, network, publisher, assetId, version: 1, root: sv.root, previousRoot: null, signature: sv.signature, timestamp: sv.timestamp, sourceName: null, leafHashes: g.leafHashes, quads: g.lines.map((l) => parseLine(skolemizeLine(l, v))) })
}
for (const variant of (process.argv[2] ?? 'base').split(',')) {
  const dir = mkdtempSync(join(tmpdir(), 'x-'))
  const store = new SqliteAssetStore({ path: join(dir, 'c.sqlite') })
  store.start()
  const db = (store as any).db
  if (variant.includes('nofts')) { (store as any).stmts.ftsInsert = { run: () => {} } }
  if (variant.includes('noidx')) { db.exec('DROP INDEX quads_spo; DROP INDEX quads_pos; DROP INDEX quads_osp') }
  if (variant.includes('noterms')) { db.exec('DROP INDEX terms_key') }
  if (variant.includes('ckpt')) { db.pragma('wal_autocheckpoint = 16000') }
  if (variant.includes('sync0')) { db.pragma('synchronous = OFF') }
  const G = Number(/g(\d+)/.exec(variant)?.[1] ?? 100)
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  for (let b = 0; b < N; b += G) store.transaction(() => { for (const r of rows.slice(b, b + G)) store.transaction(() => store.insertVersion(r)) })
  const c = process.cpuUsage(c0)
  console.log(variant, ((performance.now() - t0) * 1000 / N).toFixed(0), 'µs/asset wall', ((c.user + c.system) / N).toFixed(0), 'cpu µs', (c.system / N).toFixed(0), 'sys')
}
