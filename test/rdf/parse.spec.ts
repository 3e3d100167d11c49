import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { canonicalizeDataset } from '../../src/rdf/canonicalize.js'
import { SCHEMA_ORG_CONTEXT_URLS } from '../../src/rdf/constants.js'
import { parseRdf } from '../../src/rdf/parse.js'
import type { Quad } from '../../src/rdf/index.js'
import { rejectsWith } from '../helpers/errors.js'

const EX = 'http://example.org/'
const SDO = 'http://schema.org/'

/** Quads as comparable N-Quads text (blank node labels canonicalized). */
async function nquads (quads: Quad[]): Promise<string> {
  return await canonicalizeDataset(quads)
}

describe('parseRdf: every format', () => {
  const expected = [
    `<${EX}a> <${EX}p> "hello"@en .`,
    `<${EX}a> <${EX}q> _:c14n0 <${EX}g> .`,
    `_:c14n0 <${EX}r> "1"^^<http://www.w3.org/2001/XMLSchema#integer> <${EX}g> .`
  ].map(l => `${l}\n`).join('')

  it('reads TriG', async () => {
    const quads = await parseRdf(`@prefix ex: <${EX}> .\nex:a ex:p "hello"@en .\nex:g { ex:a ex:q [ ex:r 1 ] }`, { format: 'trig' })
    expect(await nquads(quads)).toBe(expected)
  })

  it('reads N-Quads', async () => {
    const text = `<${EX}a> <${EX}p> "hello"@en .\n<${EX}a> <${EX}q> _:x <${EX}g> .\n_:x <${EX}r> "1"^^<http://www.w3.org/2001/XMLSchema#integer> <${EX}g> .\n`
    expect(await nquads(await parseRdf(text, { format: 'nquads' }))).toBe(expected)
  })

  it('reads JSON-LD with named graphs', async () => {
    const doc = {
      '@context': { ex: EX },
      '@graph': [
        { '@id': 'ex:a', 'ex:p': { '@value': 'hello', '@language': 'en' } },
        { '@id': 'ex:g', '@graph': [{ '@id': 'ex:a', 'ex:q': { 'ex:r': 1 } }] }
      ]
    }
    expect(await nquads(await parseRdf(JSON.stringify(doc), { format: 'jsonld' }))).toBe(expected)
  })

  it('reads Turtle and N-Triples into the default graph', async () => {
    const turtle = await parseRdf(`@prefix ex: <${EX}> .\nex:a ex:p "x", "y" ; ex:q ex:b .`, { format: 'turtle' })
    const ntriples = await parseRdf(`<${EX}a> <${EX}p> "x" .\n<${EX}a> <${EX}p> "y" .\n<${EX}a> <${EX}q> <${EX}b> .\n`, { format: 'ntriples' })
    expect(turtle).toHaveLength(3)
    expect(await nquads(turtle)).toBe(await nquads(ntriples))
    expect(turtle.every(q => q.graph.termType === 'DefaultGraph')).toBe(true)
  })

  it('builds RDF/JS terms with n3 DataFactory', async () => {
    const [q] = await parseRdf(`<${EX}a> <${EX}p> "5"^^<http://www.w3.org/2001/XMLSchema#integer> .`, { format: 'ntriples' })
    expect(q.subject.termType).toBe('NamedNode')
    expect(q.object.termType).toBe('Literal')
    expect(q.object.equals(q.object)).toBe(true)
    if (q.object.termType === 'Literal') expect(q.object.datatype.value).toBe('http://www.w3.org/2001/XMLSchema#integer')
  })

  it('drops duplicate quads and a leading BOM', async () => {
    const quads = await parseRdf(`\uFEFF<${EX}a> <${EX}p> "x" .\n<${EX}a> <${EX}p> "x" .\n`, { format: 'ntriples' })
    expect(quads).toHaveLength(1)
  })

  it('returns no quads, without error, for empty documents', async () => {
    expect(await parseRdf('', { format: 'turtle' })).toEqual([])
    expect(await parseRdf('# only a comment\n', { format: 'nquads' })).toEqual([])
    expect(await parseRdf('{}', { format: 'jsonld' })).toEqual([])
    expect(await parseRdf('[]', { format: 'jsonld' })).toEqual([])
    expect(await parseRdf('{"@context": "https://schema.org", "@id": "https://ex.org/x"}', { format: 'jsonld' })).toEqual([])
  })

  it('refuses an unknown format', async () => {
    await rejectsWith(parseRdf('', { format: 'rdfxml' as never }), 'RDF_UNSUPPORTED_FORMAT')
  })
})

describe('parseRdf: relative IRIs', () => {
  it('refuses relative IRIs in Turtle without a base, saying to pass one', async () => {
    const err = await rejectsWith(parseRdf('<a> <http://p/> <c> .', { format: 'turtle' }), 'RDF_RELATIVE_IRI')
    expect(err.message).toMatch(/base/)
    expect(err.details).toMatchObject({ iri: 'a', position: 'subject' })
    await rejectsWith(parseRdf('<http://s/> <http://p/> "x"^^<dt> .', { format: 'turtle' }), 'RDF_RELATIVE_IRI')
    await rejectsWith(parseRdf('<g> { <http://s/> <http://p/> "x" }', { format: 'trig' }), 'RDF_RELATIVE_IRI')
  })

  it('resolves Turtle IRIs against the base', async () => {
    const [q] = await parseRdf('<a> <p> <../c> .', { format: 'turtle', base: 'https://ex.org/docs/doc1' })
    expect([q.subject.value, q.predicate.value, q.object.value]).toEqual(['https://ex.org/docs/a', 'https://ex.org/docs/p', 'https://ex.org/c'])
  })

  it('refuses relative IRIs in JSON-LD without a base', async () => {
    const doc = JSON.stringify({ '@context': { '@vocab': SDO }, '@id': 'people/alice', name: 'Alice' })
    const err = await rejectsWith(parseRdf(doc, { format: 'jsonld' }), 'RDF_RELATIVE_IRI')
    expect(err.message).toMatch(/base/)
    const link = JSON.stringify({ '@context': 'https://schema.org', '@id': 'https://ex.org/a', url: 'page.html' })
    await rejectsWith(parseRdf(link, { format: 'jsonld' }), 'RDF_RELATIVE_IRI')
  })

  it('resolves JSON-LD IRIs against the base', async () => {
    const doc = JSON.stringify({ '@context': 'https://schema.org', '@id': 'people/alice', url: '../index.html', name: 'Alice' })
    const quads = await parseRdf(doc, { format: 'jsonld', base: 'https://ex.org/app/' })
    expect(new Set(quads.map(q => q.subject.value))).toEqual(new Set(['https://ex.org/app/people/alice']))
    expect(quads.find(q => q.predicate.value === `${SDO}url`)?.object.value).toBe('https://ex.org/index.html')
  })

  it('refuses a base that is itself relative', async () => {
    await rejectsWith(parseRdf('<a> <b> <c> .', { format: 'turtle', base: '/docs/' }), 'RDF_RELATIVE_IRI')
  })

  it('N-Triples allows no relative IRI at all: a syntax error', async () => {
    await rejectsWith(parseRdf('<a> <http://p/> <http://o/> .', { format: 'ntriples', base: 'http://ex.org/' }), 'RDF_SYNTAX')
  })
})

describe('parseRdf: JSON-LD contexts', () => {
  it('refuses remote contexts that are not bundled', async () => {
    const doc = JSON.stringify({ '@context': 'https://w3id.org/security/v2', '@id': 'https://ex.org/a', name: 'x' })
    const err = await rejectsWith(parseRdf(doc, { format: 'jsonld' }), 'RDF_REMOTE_CONTEXT')
    expect(err.details).toEqual({ url: 'https://w3id.org/security/v2' })
    expect(err.message).toMatch(/allowRemoteContexts/)
  })

  it('refuses remote contexts reached through @import too', async () => {
    const doc = JSON.stringify({ '@context': { '@version': 1.1, '@import': 'https://example.com/ctx.jsonld' }, '@id': 'https://ex.org/a' })
    await rejectsWith(parseRdf(doc, { format: 'jsonld' }), 'RDF_REMOTE_CONTEXT')
  })

  it.each(SCHEMA_ORG_CONTEXT_URLS)('serves schema.org offline from the bundle for %s', async (url) => {
    const doc = {
      '@context': url,
      '@id': 'https://ex.org/alice',
      '@type': 'Person',
      name: 'Alice',
      url: 'https://alice.example',
      sameAs: ['https://social.example/alice'],
      birthDate: '1990-05-01',
      image: 'https://alice.example/me.png',
      worksFor: { '@type': 'Organization', name: 'ACME', foundingDate: '2001' }
    }
    const lines = (await canonicalizeDataset(await parseRdf(JSON.stringify(doc), { format: 'jsonld' }))).split('\n')
    expect(lines).toContain(`<https://ex.org/alice> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <${SDO}Person> .`)
    expect(lines).toContain(`<https://ex.org/alice> <${SDO}name> "Alice" .`)
    expect(lines).toContain(`<https://ex.org/alice> <${SDO}url> <https://alice.example> .`)
    expect(lines).toContain(`<https://ex.org/alice> <${SDO}sameAs> <https://social.example/alice> .`)
    expect(lines).toContain(`<https://ex.org/alice> <${SDO}image> <https://alice.example/me.png> .`)
    expect(lines).toContain(`<https://ex.org/alice> <${SDO}birthDate> "1990-05-01"^^<${SDO}Date> .`)
    expect(lines).toContain(`_:c14n0 <${SDO}foundingDate> "2001"^^<${SDO}Date> .`)
  })

  it('fetches unbundled contexts only when allowRemoteContexts is set', async () => {
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/ld+json' })
      res.end(JSON.stringify({ '@context': { label: 'http://www.w3.org/2000/01/rdf-schema#label' } }))
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ctx.jsonld`
      const doc = JSON.stringify({ '@context': url, '@id': 'https://ex.org/a', label: 'A' })
      await rejectsWith(parseRdf(doc, { format: 'jsonld' }), 'RDF_REMOTE_CONTEXT')
      const quads = await parseRdf(doc, { format: 'jsonld', allowRemoteContexts: true })
      expect(quads.map(q => q.predicate.value)).toEqual(['http://www.w3.org/2000/01/rdf-schema#label'])
      // The remote context must not stick in jsonld's shared cache for later, stricter calls.
      await rejectsWith(parseRdf(doc, { format: 'jsonld' }), 'RDF_REMOTE_CONTEXT')
    } finally {
      await new Promise(resolve => server.close(resolve))
    }
  })
})

describe('parseRdf: syntax errors', () => {
  it('Turtle errors carry the line and column', async () => {
    const text = `@prefix ex: <${EX}> .\nex:a ex:p ex:b .\n  ex:c ex:d ; .\n`
    const err = await rejectsWith(parseRdf(text, { format: 'turtle' }), 'RDF_SYNTAX')
    expect(err.details).toEqual({ line: 3, column: 13 })
    expect(err.message).toMatch(/Turtle syntax error/)
  })

  it('N-Quads errors carry the line', async () => {
    const err = await rejectsWith(parseRdf(`<${EX}a> <${EX}b> <${EX}c> .\n<${EX}a> <${EX}b> .\n`, { format: 'nquads' }), 'RDF_SYNTAX')
    expect(err.details?.line).toBe(2)
  })

  it('invalid JSON reports the line and column of the fault', async () => {
    const text = '{\n  "@context": "https://schema.org",\n  "name": "x",\n  "url": ,\n}'
    const err = await rejectsWith(parseRdf(text, { format: 'jsonld' }), 'RDF_SYNTAX')
    expect(err.details).toEqual({ line: 4, column: 10 })
    expect(err.message).toMatch(/line 4, column 10/)
  })

  it('JSON-LD that would silently lose data is a syntax error', async () => {
    const undefinedTerm = JSON.stringify({ '@id': 'https://ex.org/a', name: 'no context' })
    const err = await rejectsWith(parseRdf(undefinedTerm, { format: 'jsonld' }), 'RDF_SYNTAX')
    expect(err.details).toEqual({ code: 'invalid property' })
    await rejectsWith(parseRdf('42', { format: 'jsonld' }), 'RDF_SYNTAX')
    await rejectsWith(parseRdf('{"@context": 5}', { format: 'jsonld' }), 'RDF_SYNTAX')
  })

  it('refuses RDF 1.2 triple terms', async () => {
    await rejectsWith(parseRdf(`<${EX}a> <${EX}says> <<( <${EX}b> <${EX}c> <${EX}d> )>> .`, { format: 'turtle' }), 'RDF_SYNTAX')
  })
})

describe('parseRdf: maxTriples', () => {
  const text = Array.from({ length: 5 }, (_, i) => `<${EX}s> <${EX}p> "${i}" .`).join('\n')

  it('accepts exactly the limit, counting duplicates once', async () => {
    expect(await parseRdf(`${text}\n${text}`, { format: 'ntriples', maxTriples: 5 })).toHaveLength(5)
  })

  it('refuses one more with RDF_TOO_MANY_TRIPLES and details.max', async () => {
    const err = await rejectsWith(parseRdf(text, { format: 'turtle', maxTriples: 4 }), 'RDF_TOO_MANY_TRIPLES')
    expect(err.details).toEqual({ max: 4 })
    const doc = JSON.stringify({ '@context': 'https://schema.org', '@id': 'https://ex.org/a', name: ['a', 'b', 'c'] })
    await rejectsWith(parseRdf(doc, { format: 'jsonld', maxTriples: 2 }), 'RDF_TOO_MANY_TRIPLES')
  })
})
