/**
 * W3C RDF Dataset Canonicalization (RDFC-1.0) suite, run from its manifest through Cairn's own code path:
 * parseRdf (n3) → canonicalizeDataset (rdf-canonize with MAX_WORK_FACTOR). Data: shared/w3c/rdf-canon beside the
 * repository (read-only copy of https://github.com/w3c/rdf-canon).
 */
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { isCairnError } from '../../src/errors.js'
import { canonicalizeDataset, canonicalizeGraph } from '../../src/rdf/canonicalize.js'
import { parseLine, tripleToLine } from '../../src/rdf/ntriples.js'
import { parseRdf } from '../../src/rdf/parse.js'

const SUITE = new URL('../../../shared/w3c/rdf-canon/tests/', import.meta.url)
const MANIFEST = new URL('manifest.jsonld', SUITE)

interface Entry {
  id: string
  type: 'rdfc:RDFC10EvalTest' | 'rdfc:RDFC10MapTest' | 'rdfc:RDFC10NegativeEvalTest' | string
  name: string
  action: string
  result?: string
  hashAlgorithm?: string
}

/** Test id → one-line reason. Every skipped test must be listed here; none is today. */
const SKIP: Readonly<Record<string, string>> = {}

const present = existsSync(MANIFEST)
const entries: Entry[] = present ? (JSON.parse(readFileSync(MANIFEST, 'utf8')) as { entries: Entry[] }).entries : []
const read = (path: string): string => readFileSync(new URL(path, SUITE), 'utf8')

// n3 prefixes input blank node labels per parse (`_:e0` → `b12_e0`) so documents never share labels.
const inputLabel = (label: string): string => label.replace(/^b\d+_/, '')

async function run (entry: Entry): Promise<void> {
  const quads = await parseRdf(read(entry.action), { format: 'nquads' })
  const hashAlgorithm = entry.hashAlgorithm
  switch (entry.type) {
    case 'rdfc:RDFC10EvalTest':
      expect(await canonicalizeDataset(quads, { ...(hashAlgorithm === undefined ? {} : { hashAlgorithm }) })).toBe(read(entry.result ?? ''))
      return
    case 'rdfc:RDFC10MapTest': {
      const canonicalIdMap = new Map<string, string>()
      await canonicalizeDataset(quads, { canonicalIdMap, ...(hashAlgorithm === undefined ? {} : { hashAlgorithm }) })
      const issued = Object.fromEntries([...canonicalIdMap].map(([from, to]) => [inputLabel(from), to]))
      expect(issued).toEqual(JSON.parse(read(entry.result ?? '')))
      return
    }
    case 'rdfc:RDFC10NegativeEvalTest': {
      const outcome = await canonicalizeDataset(quads).then(() => 'accepted', (err: unknown) => err)
      expect(isCairnError(outcome, 'RDF_CANONICALIZATION_LIMIT'), String(outcome)).toBe(true)
      return
    }
    default:
      throw new Error(`unsupported test type ${entry.type}; add support or list ${entry.id} in SKIP`)
  }
}

describe('W3C RDFC-1.0 test suite', () => {
  it('is present beside the repository (shared/w3c/rdf-canon)', () => {
    expect(present, `missing ${MANIFEST.pathname}`).toBe(true)
    expect(entries.length).toBeGreaterThanOrEqual(86)
    for (const id of Object.keys(SKIP)) expect(entries.some(e => e.id === id), `stale skip ${id}`).toBe(true)
  })

  for (const entry of entries) {
    const reason = SKIP[entry.id]
    const title = `${entry.id} ${entry.name}`
    if (reason !== undefined) it.skip(`${title} — ${reason}`, () => {})
    else it(title, async () => { await run(entry) })
  }
})

describe('canonical lines round-trip through parseLine/tripleToLine (every W3C input)', () => {
  const inputs = [...new Set(entries.filter(e => e.type !== 'rdfc:RDFC10NegativeEvalTest').map(e => e.action))]
  for (const action of inputs) {
    it(action, async () => {
      const lines = await canonicalizeGraph(await parseRdf(read(action), { format: 'nquads' }))
      for (const line of lines) {
        const q = parseLine(line)
        expect(tripleToLine(q.subject, q.predicate, q.object)).toBe(line)
      }
    })
  }
})
