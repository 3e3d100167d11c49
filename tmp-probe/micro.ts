import { startTestNode } from '../test/helpers/node.js'
import { generateAsset, toNQuads } from '../bench/generate.js'
const N = 300
const a = await startTestNode({ workers: 0, sparqlReplicas: 1, p2p: false })
const lines: string[] = []
for (let j = 0; j < N; j++) lines.push(toNQuads(generateAsset(9, j, 20), `https://bench.example.org/graph/${j}`))
await a.node.components.assets.publishRdf({ text: lines.join(''), format: 'nquads' })
const uals = a.node.components.store.listVersionsPage(0, N).map(v => v.ual)
const { verifyBundle, verifyClaim, verifyAnchorProof, claimMessage } = await import('../src/proof/index.js')
const { prepareSignedVersion } = await import('../src/asset/prepare.js')
const m = async (label: string, fn: () => unknown) => { const c0 = process.cpuUsage(); const t0 = performance.now(); await fn(); const c = process.cpuUsage(c0); console.log(label.padEnd(28), ((c.user + c.system) / 1000 / N).toFixed(3), 'ms CPU/asset', ((performance.now() - t0) / N).toFixed(3), 'ms wall') }
let bundles: any[] = []
await m('bundle()', () => { bundles = uals.map(u => a.node.components.assets.bundle(u)) })
await m('JSON round trip', () => JSON.parse(JSON.stringify(bundles)))
await m('verifyBundle', () => { for (const b of bundles) verifyBundle(b) })
await m('verifyClaim only', () => { for (const b of bundles) { const v = b.versions[0]; verifyClaim({ ual: b.ual, version: 1, root: v.root, previousRoot: null, timestamp: v.timestamp }, v.signature, b.publisher) } })
await m('verifyAnchorProof only', () => { for (const b of bundles) verifyAnchorProof(b.versions[0].anchor, b.versions[0].root) })
await m('prepareSignedVersion', async () => { for (const b of bundles) { const v = b.versions[0]; await prepareSignedVersion({ ual: b.ual, version: 1, publisher: b.publisher, root: v.root, previousRoot: null, timestamp: v.timestamp, signature: v.signature, sourceName: v.sourceName, lines: v.lines }, { maxTriples: 100000, allowRemoteContexts: false }) } })
const b = await startTestNode({ workers: 0, sparqlReplicas: 1, p2p: false })
await m('importBundles (64/batch)', async () => { for (let i = 0; i < N; i += 64) await b.node.components.assets.importBundles(bundles.slice(i, i + 64)) })
console.log(new Set(bundles.map(b => b.versions[0].anchor.entryHash)).size, 'distinct ledger entries for', N, 'assets')
await a.close(); await b.close()
