/**
 * Seeded data for the SPARQL benchmark (bench/sparql.ts): N assets of exactly T triples each, schema.org-like,
 * written straight into a Cairn SQLite store.
 *
 * Each asset describes one entity `https://data.example.org/<type>/<i>` (8 types round-robin) with: a name, an
 * identifier, dates, integers and decimals; an email on every other entity (for OPTIONAL); two skolemized blank
 * nodes (a PostalAddress and an Offer); links to other assets' entities — `schema:knows` ×2, `schema:memberOf`,
 * `schema:location`, `schema:mentions` ×2 — so multi-hop chains exist; shared topic IRIs; and English
 * descriptions of 8 words from a 64-word vocabulary (for CONTAINS). Same seed → same store.
 *
 * The write path skips what publishing spends its time on but keeps what the store of record holds: lines are
 * generated already in canonical N-Triples form (RDFC-1.0 is not run, so blank node labels are `c14n0`/`c14n1` by
 * construction), leaf hashes and the merkle root are real (keccak-256), each version is really signed (sr25519,
 * one of 8 publisher keys) and anchored in the node's embedded ledger, and versions go through
 * `store.insertVersion` in group transactions of `group` assets — the same calls the group committer makes.
 */
import { closeSync, openSync, writeSync } from 'node:fs'
import { keysReady, signerFromSeed, signVersion, storeQuads } from '../src/asset/index.js'
import type { Signer } from '../src/asset/index.js'
import { createEmbeddedLedgerAnchor } from '../src/anchor/index.js'
import { leafHash, merkleRoot, proofReady, toHex } from '../src/proof/index.js'
import { compareCodePoints } from '../src/rdf/index.js'
import { PROVENANCE_GRAPH } from '../src/sparql/index.js'
import { currentVersionLine, provenanceLines } from '../src/sparql/provenance.js'
import type { AssetStore, VersionRecord } from '../src/store/index.js'
import { mulberry32 } from './generate.js'

export const BASE = 'https://data.example.org/'
const S = 'http://schema.org/'
const XSD = 'http://www.w3.org/2001/XMLSchema#'
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type'
export const TYPES = ['Person', 'Organization', 'Product', 'Book', 'Event', 'Place', 'CreativeWork', 'Recipe']
export const VOCAB = ['amber', 'basalt', 'birch', 'bramble', 'cairn', 'canyon', 'cedar', 'cinder', 'clover', 'cobalt',
  'coral', 'crater', 'delta', 'dune', 'ember', 'falcon', 'fern', 'fjord', 'flint', 'garnet', 'glacier', 'granite',
  'harbor', 'hazel', 'heron', 'indigo', 'iris', 'jasper', 'juniper', 'kelp', 'kestrel', 'lagoon', 'lantern', 'larch',
  'lichen', 'linden', 'marble', 'meadow', 'mesa', 'moss', 'nimbus', 'oasis', 'obsidian', 'onyx', 'orchid', 'osprey',
  'pebble', 'pine', 'quartz', 'quill', 'raven', 'reef', 'river', 'saffron', 'sage', 'slate', 'summit', 'thistle',
  'tundra', 'umber', 'velvet', 'willow', 'yarrow', 'zephyr']
const CITIES = ['Ljubljana', 'Porto', 'Tartu', 'Ghent', 'Bergen', 'Lyon', 'Graz', 'Turku', 'Leiden', 'Brno']
const LANGS = ['de', 'fr', 'sl', 'es']

/** The IRI of asset i's main entity. */
export function entityIri (i: number): string {
  return `${BASE}${TYPES[i % TYPES.length].toLowerCase()}/${i}`
}

const iri = (v: string): string => `<${v}>`
const str = (v: string): string => `"${v}"`
const typed = (v: string, dt: string): string => `"${v}"^^<${XSD}${dt}>`
const lang = (v: string, l: string): string => `"${v}"@${l}`

/**
 * The canonical N-Triples lines of asset `i` (code point order, exactly `triples` distinct lines, ≥ 40).
 * Generated values hold no quote, backslash or control character, so no escaping is needed.
 */
export function assetLines (seed: number, i: number, assets: number, triples: number): string[] {
  if (triples < 40) throw new Error('assetLines: at least 40 triples per asset')
  const rand = mulberry32((seed * 0x9e3779b1) ^ (i * 0x85ebca6b))
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]
  const words = (n: number): string => Array.from({ length: n }, () => pick(VOCAB)).join(' ')
  const other = (): string => iri(entityIri(Math.floor(rand() * assets)))
  const e = iri(entityIri(i))
  const addr = '_:c14n0'
  const offer = '_:c14n1'
  const out = new Set<string>()
  const t = (s: string, p: string, o: string): void => { out.add(`${s} <${p}> ${o} .`) }
  const type = TYPES[i % TYPES.length]
  t(e, RDF_TYPE, iri(S + type))
  t(e, S + 'name', str(`${words(2)} ${i}`))
  t(e, S + 'identifier', str(`id-${i}`))
  t(e, S + 'dateCreated', typed(`20${10 + Math.floor(rand() * 15)}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`, 'date'))
  t(e, S + 'position', typed(String(Math.floor(rand() * 1000)), 'integer'))
  t(e, S + 'ratingValue', typed((1 + rand() * 4).toFixed(2), 'decimal'))
  if (i % 2 === 0) t(e, S + 'email', str(`contact${i}@example.org`))
  t(e, S + 'url', iri(`${entityIri(i)}/page`))
  // Links to other entities: chains like person -knows-> x -memberOf-> y -location-> z exist everywhere.
  t(e, S + 'knows', other())
  t(e, S + 'knows', other())
  t(e, S + 'memberOf', other())
  t(e, S + 'location', other())
  t(e, S + 'mentions', other())
  t(e, S + 'mentions', other())
  // Blank node 0: a PostalAddress; blank node 1: an Offer (skolemized by storeQuads).
  const city = pick(CITIES)
  t(e, S + 'address', addr)
  t(addr, RDF_TYPE, iri(S + 'PostalAddress'))
  t(addr, S + 'streetAddress', str(`${1 + Math.floor(rand() * 200)} ${words(1)} street`))
  t(addr, S + 'addressLocality', str(city))
  t(addr, S + 'postalCode', str(String(10000 + Math.floor(rand() * 89999))))
  t(addr, S + 'addressCountry', iri(`${BASE}country/${city.toLowerCase()}`))
  t(e, S + 'offers', offer)
  t(offer, RDF_TYPE, iri(S + 'Offer'))
  t(offer, S + 'price', typed((rand() * 1000).toFixed(2), 'decimal'))
  t(offer, S + 'priceCurrency', str('EUR'))
  t(offer, S + 'availability', iri(S + 'InStock'))
  t(offer, S + 'sku', str(`SKU-${i}`))
  // Descriptions with words for CONTAINS, keywords, topics, numbers and outside links until `triples`.
  for (let k = 0; out.size < triples; k++) {
    switch (k % 6) {
      case 0: t(e, S + 'description', lang(`${words(8)} (${k})`, 'en')); break
      case 1: t(e, S + 'keywords', str(`${words(1)}-${k}`)); break
      case 2: t(e, S + 'about', iri(`${BASE}topic/${words(1)}`)); break
      case 3: t(e, S + 'alternateName', lang(`${words(2)} ${k}`, LANGS[k % LANGS.length])); break
      case 4: t(e, S + 'sameAs', iri(`https://other.example.net/${i}/${k}`)); break
      default: t(e, S + 'interactionCount', typed(String(k * 13 + Math.floor(rand() * 7)), 'integer'))
    }
  }
  return [...out].sort(compareCodePoints)
}

/** Command-line options (node:util parseArgs) shared by the benches that generate this dataset, with their defaults. */
export const DATASET_ARGS = {
  assets: { type: 'string', default: '10000' },
  triples: { type: 'string', default: '100' },
  seed: { type: 'string', default: '42' },
  group: { type: 'string', default: '500' }
} as const

export interface GenerateOptions {
  seed: number
  assets: number
  triples: number
  /** Assets per SQLite transaction (and per ledger entry). */
  group: number
  network: string
  /** Signs the ledger entries (the node's own key, so the store is one the node could have written). */
  nodeSigner: Signer
  onProgress?: (assets: number) => void
}

export interface GenerateResult {
  quads: number
  ms: { total: number, lines: number, hash: number, sign: number, insert: number }
}

/** Fill `store` (started, empty) with the seeded assets. */
export async function generateIntoStore (store: AssetStore, o: GenerateOptions): Promise<GenerateResult> {
  await Promise.all([proofReady(), keysReady()])
  const publishers = Array.from({ length: 8 }, (_, k) => signerFromSeed(new Uint8Array(32).fill(k + 1)))
  const anchor = createEmbeddedLedgerAnchor({}, { store, signer: o.nodeSigner })
  const ms = { total: 0, lines: 0, hash: 0, sign: 0, insert: 0 }
  let quads = 0
  const t0 = performance.now()
  const epoch = Date.parse('2026-01-01T00:00:00Z')
  for (let from = 0; from < o.assets; from += o.group) {
    const to = Math.min(o.assets, from + o.group)
    const ready: Array<{ sv: ReturnType<typeof signVersion>, leafHashes: Uint8Array[], lines: string[] }> = []
    for (let i = from; i < to; i++) {
      let t = performance.now()
      const lines = assetLines(o.seed, i, o.assets, o.triples)
      ms.lines += performance.now() - t
      t = performance.now()
      const leafHashes = lines.map(leafHash)
      const root = toHex(merkleRoot(leafHashes))
      ms.hash += performance.now() - t
      t = performance.now()
      const sv = signVersion({ sourceName: null, lines, leafHashes, root }, {
        signer: publishers[i % publishers.length], network: o.network, timestamp: new Date(epoch + i * 60_000).toISOString()
      })
      ms.sign += performance.now() - t
      ready.push({ sv, leafHashes, lines })
    }
    const t = performance.now()
    store.transaction(() => {
      const records: VersionRecord[] = []
      for (const { sv, leafHashes, lines } of ready) {
        const [network, publisher, assetId] = sv.ual.slice('did:cairn:'.length).split('/')
        records.push(store.insertVersion({
          ual: sv.ual, network, publisher, assetId, version: 1, root: sv.root, previousRoot: null, signature: sv.signature,
          timestamp: sv.timestamp, sourceName: null, leafHashes, quads: storeQuads(lines, sv.ual, 1)
        }))
        quads += lines.length
      }
      const proofs = anchor.anchorBatch(records.map((r) => r.root))
      records.forEach((r, k) => { store.setAnchor(r.id, proofs[k]) })
    })
    ms.insert += performance.now() - t
    o.onProgress?.(to)
  }
  ms.total = performance.now() - t0
  return { quads, ms }
}

export interface ExportResult {
  /** N-Quads of the version graphs only (`<UAL>/v1`): the asset data as published. */
  versionQuads: number
  /** Everything a Cairn replica holds: version graphs + the default-graph copy + `<urn:cairn:provenance>`. */
  fullQuads: number
  defaultQuads: number
  provenanceQuads: number
  ms: number
}

/**
 * Write the dataset a Cairn replica builds (engine-worker.ts catchUp, all versions current) as two N-Quads files:
 * `versions.nq` (the version graphs) and `full.nq` (version graphs, the default-graph copy as triples without a
 * graph, and the provenance graph), both read from the store with the same exportLines the replicas use.
 */
export function exportDataset (store: AssetStore, files: { versions: string, full: string }): ExportResult {
  const t0 = performance.now()
  const versions = openSync(files.versions, 'w')
  const full = openSync(files.full, 'w')
  const r: ExportResult = { versionQuads: 0, fullQuads: 0, defaultQuads: 0, provenanceQuads: 0, ms: 0 }
  const upto = store.lastVersionId()
  const byId = new Map(store.listVersionsSince(0, upto).map((v) => [v.id, v]))
  let vBuf: string[] = []
  let fBuf: string[] = []
  const flush = (): void => {
    writeSync(versions, vBuf.join(''))
    writeSync(full, fBuf.join(''))
    vBuf = []
    fBuf = []
  }
  store.exportLines(0, upto, (versionId, lines) => {
    const v = byId.get(versionId) as VersionRecord
    const graph = ` <${v.versionIri}> .\n`
    for (const line of lines) {
      const quad = line.slice(0, -2) + graph
      vBuf.push(quad)
      fBuf.push(quad, line + '\n')
    }
    r.versionQuads += lines.length
    r.defaultQuads += lines.length
    const prov = [...provenanceLines(v), currentVersionLine(v.ual, v.versionIri)]
    for (const line of prov) fBuf.push(line.slice(0, -2) + ` <${PROVENANCE_GRAPH}> .\n`)
    r.provenanceQuads += prov.length
    if (fBuf.length > 100_000) flush()
  })
  flush()
  closeSync(versions)
  closeSync(full)
  r.fullQuads = r.versionQuads + r.defaultQuads + r.provenanceQuads
  r.ms = performance.now() - t0
  return r
}
