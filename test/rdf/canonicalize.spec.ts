import { DataFactory } from 'n3'
import { describe, expect, it } from 'vitest'
import { canonicalizeDataset, canonicalizeGraph } from '../../src/rdf/canonicalize.js'
import { MAX_WORK_FACTOR } from '../../src/rdf/constants.js'
import { parseRdf } from '../../src/rdf/parse.js'
import { rejectsWith } from '../helpers/errors.js'

const { namedNode, literal, quad, blankNode } = DataFactory
const EX = 'http://example.org/'

function clique (n: number): string {
  let text = ''
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) text += `_:e${i} <${EX}p> _:e${j} .\n`
  return text
}

describe('canonicalizeGraph', () => {
  it('gives isomorphic graphs the same lines whatever the labels and order', async () => {
    const a = await parseRdf(`_:x <${EX}knows> _:y .\n_:y <${EX}name> "Bob" .\n_:x <${EX}name> "Alice" .`, { format: 'ntriples' })
    const b = await parseRdf(`@prefix ex: <${EX}> .\n[ ex:name "Alice" ; ex:knows [ ex:name "Bob" ] ] .`, { format: 'turtle' })
    const lines = await canonicalizeGraph(a)
    expect(await canonicalizeGraph(b)).toEqual(lines)
    expect(lines).toEqual([
      `_:c14n0 <${EX}knows> _:c14n1 .`,
      `_:c14n0 <${EX}name> "Alice" .`,
      `_:c14n1 <${EX}name> "Bob" .`
    ])
  })

  it('treats every quad as a default-graph triple and deduplicates', async () => {
    const quads = await parseRdf(`<${EX}a> <${EX}p> "x" <${EX}g1> .\n<${EX}a> <${EX}p> "x" <${EX}g2> .\n<${EX}a> <${EX}p> "x" .\n`, { format: 'nquads' })
    expect(await canonicalizeGraph(quads)).toEqual([`<${EX}a> <${EX}p> "x" .`])
  })

  it('sorts by code point (UTF-8 byte order), not by UTF-16 unit', async () => {
    const s = namedNode(`${EX}s`)
    const p = namedNode(`${EX}p`)
    const lines = await canonicalizeGraph([quad(s, p, literal('\u{1F600}')), quad(s, p, literal('\uFFFD'))])
    expect(lines).toEqual([`<${EX}s> <${EX}p> "\uFFFD" .`, `<${EX}s> <${EX}p> "\u{1F600}" .`])
    const bytes = lines.map(l => Buffer.from(l))
    expect(Buffer.compare(bytes[0], bytes[1])).toBeLessThan(0)
  })

  it('returns no lines for no quads', async () => {
    expect(await canonicalizeGraph([])).toEqual([])
  })

  it(`refuses a poison graph beyond n^${MAX_WORK_FACTOR} work with RDF_CANONICALIZATION_LIMIT`, async () => {
    const err = await rejectsWith(canonicalizeGraph(await parseRdf(clique(10), { format: 'ntriples' })), 'RDF_CANONICALIZATION_LIMIT')
    expect(err.details).toMatchObject({ maxWorkFactor: MAX_WORK_FACTOR, aborted: false })
  })

  it('stops when the caller aborts', async () => {
    const quads = await parseRdf(clique(20), { format: 'ntriples' })
    const err = await rejectsWith(canonicalizeGraph(quads, { signal: AbortSignal.abort() }), 'RDF_CANONICALIZATION_LIMIT')
    expect(err.details).toMatchObject({ aborted: true })
  })

  it('still labels symmetric graphs within the limit (a ring of 6)', async () => {
    const ring = Array.from({ length: 6 }, (_, i) => quad(blankNode(`r${i}`), namedNode(`${EX}next`), blankNode(`r${(i + 1) % 6}`)))
    const lines = await canonicalizeGraph(ring)
    expect(lines).toHaveLength(6)
    expect(new Set(lines.flatMap(l => l.match(/_:c14n\d+/g) ?? []))).toEqual(new Set(['_:c14n0', '_:c14n1', '_:c14n2', '_:c14n3', '_:c14n4', '_:c14n5']))
  })
})

describe('canonicalizeDataset', () => {
  it('keeps graph names and fills the issued identifiers map', async () => {
    const quads = await parseRdf(`_:s <${EX}p> "x" _:g .\n<${EX}a> <${EX}p> _:s <${EX}g> .\n`, { format: 'nquads' })
    const canonicalIdMap = new Map<string, string>()
    const text = await canonicalizeDataset(quads, { canonicalIdMap })
    expect(text.endsWith('\n')).toBe(true)
    expect(text.split('\n').filter(Boolean)).toEqual([
      `<${EX}a> <${EX}p> _:c14n0 <${EX}g> .`,
      `_:c14n0 <${EX}p> "x" _:c14n1 .`
    ])
    expect([...canonicalIdMap.values()].sort()).toEqual(['c14n0', 'c14n1'])
  })

  it('returns the empty string for no quads', async () => {
    expect(await canonicalizeDataset([])).toBe('')
  })
})
