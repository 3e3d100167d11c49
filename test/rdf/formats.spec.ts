import { describe, expect, it } from 'vitest'
import { RDF_FORMATS, contentTypeOf, formatFromContentType, formatFromFilename } from '../../src/rdf/formats.js'
import { expectCode } from '../helpers/errors.js'

describe('formatFromContentType', () => {
  it.each([
    ['application/ld+json', 'jsonld'],
    ['application/json', 'jsonld'],
    ['application/n-quads', 'nquads'],
    ['application/n-triples', 'ntriples'],
    ['text/turtle', 'turtle'],
    ['application/trig', 'trig']
  ])('%s → %s', (type, format) => {
    expect(formatFromContentType(type)).toBe(format)
  })

  it('ignores parameters, case and spaces', () => {
    expect(formatFromContentType('text/turtle; charset=utf-8')).toBe('turtle')
    expect(formatFromContentType(' Application/LD+JSON ;profile="http://www.w3.org/ns/json-ld#expanded"')).toBe('jsonld')
  })

  it('refuses other or missing types with RDF_UNSUPPORTED_FORMAT', () => {
    expectCode(() => formatFromContentType('application/rdf+xml'), 'RDF_UNSUPPORTED_FORMAT')
    expectCode(() => formatFromContentType(''), 'RDF_UNSUPPORTED_FORMAT')
    expectCode(() => formatFromContentType(undefined), 'RDF_UNSUPPORTED_FORMAT')
  })
})

describe('contentTypeOf', () => {
  it('round-trips through formatFromContentType for every format', () => {
    for (const format of RDF_FORMATS) expect(formatFromContentType(contentTypeOf(format))).toBe(format)
  })

  it('names the registered media types', () => {
    expect(RDF_FORMATS.map(contentTypeOf)).toEqual([
      'application/ld+json', 'application/n-quads', 'application/n-triples', 'text/turtle', 'application/trig'
    ])
  })
})

describe('formatFromFilename', () => {
  it.each([
    ['doc.jsonld', 'jsonld'],
    ['data/doc.json', 'jsonld'],
    ['/tmp/x.nq', 'nquads'],
    ['x.nt', 'ntriples'],
    ['C:\\data\\X.TTL', 'turtle'],
    ['a.b.trig', 'trig']
  ])('%s → %s', (path, format) => {
    expect(formatFromFilename(path)).toBe(format)
  })

  it.each(['doc.rdf', 'README', 'dir.ttl/file', '.ttl', ''])('refuses %j', (path) => {
    expectCode(() => formatFromFilename(path), 'RDF_UNSUPPORTED_FORMAT')
  })
})
