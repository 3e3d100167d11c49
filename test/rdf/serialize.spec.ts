import { describe, expect, it } from 'vitest'
import { canonicalizeDataset, canonicalizeGraph } from '../../src/rdf/canonicalize.js'
import { RDF_FORMATS } from '../../src/rdf/formats.js'
import { parseRdf } from '../../src/rdf/parse.js'
import { serializeQuads } from '../../src/rdf/serialize.js'
import { rejectsWith } from '../helpers/errors.js'

const SOURCE = `
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:alice ex:name "Alice \\"Al\\" Smith\\nline two\\ttab \\\\ é 😀" ;
  ex:label "chat"@fr , "cat"@en ;
  ex:age "42"^^xsd:integer ;
  ex:score "4.20"^^xsd:decimal ;
  ex:flag "true"^^xsd:boolean ;
  ex:tags ( "a" "b" ) ;
  ex:knows [ ex:name "Bob" ; ex:knows _:carol ] .
_:carol ex:name "Carol" .
ex:g1 { ex:alice ex:in "g1" . _:carol ex:in "g1" }
_:g2 { ex:bob ex:in "blank graph" }
`
const PREFIXES = { ex: 'http://example.org/', xsd: 'http://www.w3.org/2001/XMLSchema#' }

describe('serializeQuads', () => {
  it.each(['trig', 'nquads', 'jsonld'] as const)('round-trips the dataset through %s', async (format) => {
    const quads = await parseRdf(SOURCE, { format: 'trig' })
    const text = await serializeQuads(quads, format, { prefixes: PREFIXES })
    const back = await parseRdf(text, { format })
    expect(back).toHaveLength(quads.length)
    expect(await canonicalizeDataset(back)).toBe(await canonicalizeDataset(quads))
  })

  it.each(['turtle', 'ntriples'] as const)('round-trips the merged graph through %s (graph names dropped)', async (format) => {
    const quads = await parseRdf(SOURCE, { format: 'trig' })
    const text = await serializeQuads(quads, format, { prefixes: PREFIXES })
    const back = await parseRdf(text, { format })
    expect(back.every(q => q.graph.termType === 'DefaultGraph')).toBe(true)
    expect(await canonicalizeGraph(back)).toEqual(await canonicalizeGraph(quads))
  })

  it('uses the prefixes in Turtle, TriG and JSON-LD', async () => {
    const quads = await parseRdf(SOURCE, { format: 'trig' })
    expect(await serializeQuads(quads, 'turtle', { prefixes: PREFIXES })).toMatch(/@prefix ex: <http:\/\/example.org\/>/)
    expect(await serializeQuads(quads, 'trig', { prefixes: PREFIXES })).toMatch(/ex:alice/)
    const json = JSON.parse(await serializeQuads(quads, 'jsonld', { prefixes: { ...PREFIXES, '': 'http://default.example/' } })) as Record<string, unknown>
    expect(json['@context']).toEqual(PREFIXES)
    expect(JSON.stringify(json)).toMatch(/"ex:name"/)
  })

  it('writes pretty-printed JSON-LD that keeps typed literals as strings', async () => {
    const quads = await parseRdf('<http://ex.org/a> <http://ex.org/n> "42"^^<http://www.w3.org/2001/XMLSchema#integer> .', { format: 'ntriples' })
    const text = await serializeQuads(quads, 'jsonld')
    expect(text).toMatch(/\n {2}"/)
    expect(JSON.parse(text)).toEqual({
      '@id': 'http://ex.org/a',
      'http://ex.org/n': { '@type': 'http://www.w3.org/2001/XMLSchema#integer', '@value': '42' }
    })
  })

  it('writes every format for an empty dataset', async () => {
    for (const format of RDF_FORMATS) expect(await parseRdf(await serializeQuads([], format), { format })).toEqual([])
  })

  it('refuses an unknown format', async () => {
    await rejectsWith(serializeQuads([], 'rdfxml' as never), 'RDF_UNSUPPORTED_FORMAT')
  })
})
