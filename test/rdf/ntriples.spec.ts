import { DataFactory } from 'n3'
import { describe, expect, it } from 'vitest'
import { canonicalizeGraph } from '../../src/rdf/canonicalize.js'
import { jsonTermToNTriples, parseLine, termToNTriples, tripleToLine } from '../../src/rdf/ntriples.js'
import { expectCode } from '../helpers/errors.js'

const { namedNode, blankNode, literal, quad, defaultGraph, variable } = DataFactory
const XSD = 'http://www.w3.org/2001/XMLSchema#'

describe('termToNTriples', () => {
  it.each([
    [namedNode('http://ex.org/a'), '<http://ex.org/a>'],
    [blankNode('c14n0'), '_:c14n0'],
    [literal('plain'), '"plain"'],
    [literal('chat', 'fr-BE'), '"chat"@fr-be'],
    [literal('5', namedNode(`${XSD}integer`)), `"5"^^<${XSD}integer>`],
    [literal('x', namedNode(`${XSD}string`)), '"x"'],
    [literal('tab\tnl\ncr\rbs\bff\fq"back\\'), '"tab\\tnl\\ncr\\rbs\\bff\\fq\\"back\\\\"'],
    [literal('\u0000\u0007\u000B\u001F\u007F'), '"\\u0000\\u0007\\u000B\\u001F\\u007F"'],
    [literal('é€\u{1F600}\u2028'), '"é€\u{1F600}\u2028"'],
    [namedNode('http://ex.org/a b<c>'), '<http://ex.org/a\\u0020b\\u003Cc\\u003E>']
  ])('%s', (term, text) => {
    expect(termToNTriples(term)).toBe(text)
  })

  it('refuses terms with no N-Triples form', () => {
    expectCode(() => termToNTriples(defaultGraph()), 'RDF_SYNTAX')
    expectCode(() => termToNTriples(variable('x')), 'RDF_SYNTAX')
  })
})

describe('jsonTermToNTriples', () => {
  it('SPARQL JSON terms become N-Triples notation', () => {
    expect(jsonTermToNTriples({ type: 'uri', value: 'https://ex.org/a' })).toBe('<https://ex.org/a>')
    expect(jsonTermToNTriples({ type: 'bnode', value: 'b0' })).toBe('_:b0')
    expect(jsonTermToNTriples({ type: 'literal', value: 'Bob' })).toBe('"Bob"')
    expect(jsonTermToNTriples({ type: 'literal', value: 'Bob', 'xml:lang': 'en' })).toBe('"Bob"@en')
    expect(jsonTermToNTriples({ type: 'literal', value: '42', datatype: 'http://www.w3.org/2001/XMLSchema#integer' })).toBe('"42"^^<http://www.w3.org/2001/XMLSchema#integer>')
    expect(jsonTermToNTriples({ type: 'literal', value: 'a "quoted"\nline' })).toBe('"a \\"quoted\\"\\nline"')
  })
})

describe('tripleToLine', () => {
  const s = namedNode('http://ex.org/s')
  const p = namedNode('http://ex.org/p')

  it('writes a line exactly as RDFC-1.0 does', async () => {
    for (const o of [literal('a "quoted"\nline\u0001'), literal('x', 'en'), blankNode('c14n0'), namedNode('http://ex.org/o'), literal('1.5', namedNode(`${XSD}decimal`))]) {
      const line = tripleToLine(s, p, o)
      expect(line.endsWith(' .')).toBe(true)
      expect(await canonicalizeGraph([quad(s, p, o)])).toEqual([line])
    }
  })

  it('refuses a literal subject or a blank predicate', () => {
    expectCode(() => tripleToLine(literal('x'), p, s), 'RDF_SYNTAX')
    expectCode(() => tripleToLine(s, blankNode('b'), s), 'RDF_SYNTAX')
  })
})

describe('parseLine', () => {
  it('reads back what tripleToLine wrote', () => {
    const triples = [
      [namedNode('http://ex.org/s'), namedNode('http://ex.org/p'), literal('a "q"\n\\ \u0000 é \u{1F600}', 'en-us')],
      [blankNode('c14n3'), namedNode('http://ex.org/p'), literal('2', namedNode(`${XSD}integer`))],
      [namedNode('http://ex.org/a b'), namedNode('http://ex.org/p'), blankNode('c14n0')]
    ] as const
    for (const [s, p, o] of triples) {
      const line = tripleToLine(s, p, o)
      const q = parseLine(line)
      expect(q.subject.equals(s) && q.predicate.equals(p) && q.object.equals(o), line).toBe(true)
      expect(q.graph.termType).toBe('DefaultGraph')
      expect(tripleToLine(q.subject, q.predicate, q.object)).toBe(line)
      expect(parseLine(`${line}\n`).equals(q)).toBe(true)
    }
  })

  it.each([
    ['empty', ''],
    ['garbage', 'not a triple'],
    ['two lines', '<http://a> <http://b> <http://c> .\n<http://a> <http://b> <http://d> .'],
    ['a quad', '<http://a> <http://b> <http://c> <http://g> .'],
    ['no dot', '<http://a> <http://b> <http://c>']
  ])('refuses %s', (_name, line) => {
    expectCode(() => parseLine(line), 'RDF_SYNTAX')
  })
})
