/**
 * Canonical N-Triples lines, one triple each: the leaf format of Cairn's merkle trees. Escaping is rdf-canonize's
 * own serializer (RDFC-1.0 §4.4 canonical N-Quads), reused rather than rewritten so a line written here is
 * byte-identical to one canonicalizeGraph returns.
 */
import type { Quad, Term } from '@rdfjs/types'
import rdfCanonize from 'rdf-canonize'
import type { CanonizeTerm } from 'rdf-canonize'
import { DataFactory } from 'n3'
import { CairnError } from '../errors.js'

const { NQuads } = rdfCanonize
const { namedNode, blankNode, literal, quad, defaultGraph } = DataFactory

const RDF_LANGSTRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString'
const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string'
const DEFAULT_GRAPH: CanonizeTerm = { termType: 'DefaultGraph', value: '' }
// A fixed subject and predicate around the term: serializeQuadComponents is the only escaping entry point.
const ANCHOR_S: CanonizeTerm = { termType: 'BlankNode', value: 'a' }
const ANCHOR_P: CanonizeTerm = { termType: 'NamedNode', value: 'p' }
const ANCHOR_HEAD = '_:a <p> '
const LINE_END = ' .\n'

function checkTerm (fn: string, position: string, term: Term, allowed: readonly string[]): void {
  if (!allowed.includes(term.termType)) {
    throw new CairnError('RDF_SYNTAX', `${fn}: a ${term.termType} cannot be the ${position} of an N-Triples line; use ${allowed.join(' or ')}`,
      { details: { termType: term.termType, position } })
  }
  if (term.termType === 'Literal' && term.direction != null && term.direction !== '') {
    // rdf-canonize drops RDF 1.2 base direction, which would make two different literals share one line.
    throw new CairnError('RDF_SYNTAX', `${fn}: literals with a base direction (RDF 1.2) are not supported`, { details: { position } })
  }
}

/** Canonical N-Triples form of one IRI, blank node or literal (`<iri>`, `_:label`, `"lex"@lang`, `"lex"^^<dt>`). */
export function termToNTriples (term: Term): string {
  checkTerm('termToNTriples', 'term', term, ['NamedNode', 'BlankNode', 'Literal'])
  const line = NQuads.serializeQuadComponents(ANCHOR_S, ANCHOR_P, term, DEFAULT_GRAPH)
  return line.slice(ANCHOR_HEAD.length, -LINE_END.length)
}

/** A term of SPARQL 1.1 Query Results JSON (§3.2.2). */
export interface JsonTerm {
  type: 'uri' | 'literal' | 'bnode' | 'triple'
  value: unknown
  'xml:lang'?: string
  datatype?: string
}

/** A SPARQL JSON term in N-Triples notation: `<iri>`, `"lex"@lang`, `"lex"^^<dt>`, `_:b`; what models and people read best. */
export function jsonTermToNTriples (t: JsonTerm): string {
  switch (t.type) {
    case 'uri': return termToNTriples(namedNode(String(t.value)))
    case 'bnode': return `_:${String(t.value)}`
    case 'literal': {
      const lang = t['xml:lang']
      return termToNTriples(lang !== undefined && lang !== '' ? literal(String(t.value), lang) : literal(String(t.value), namedNode(t.datatype ?? XSD_STRING)))
    }
    default: return JSON.stringify(t.value)
  }
}

/** One triple as RDFC-1.0 writes it (`<s> <p> "o" .`), without the final newline. */
export function tripleToLine (s: Term, p: Term, o: Term): string {
  checkTerm('tripleToLine', 'subject', s, ['NamedNode', 'BlankNode'])
  checkTerm('tripleToLine', 'predicate', p, ['NamedNode'])
  checkTerm('tripleToLine', 'object', o, ['NamedNode', 'BlankNode', 'Literal'])
  return NQuads.serializeQuadComponents(s, p, o, DEFAULT_GRAPH).slice(0, -1)
}

function toTerm (t: CanonizeTerm): Term {
  switch (t.termType) {
    case 'NamedNode': return namedNode(t.value)
    case 'BlankNode': return blankNode(t.value)
    default: {
      const datatype = t.datatype?.value ?? ''
      return datatype === RDF_LANGSTRING ? literal(t.value, t.language ?? '') : literal(t.value, namedNode(datatype))
    }
  }
}

/**
 * Parse one canonical N-Triples line (as {@link tripleToLine} writes it, trailing newline optional) into a quad
 * in the default graph. Uses rdf-canonize's line parser, the exact inverse of its serializer. Throws RDF_SYNTAX.
 */
export function parseLine (line: string): Quad {
  const text = line.endsWith('\n') ? line.slice(0, -1) : line
  let parsed: ReturnType<typeof NQuads.parse> = []
  if (!/[\r\n]/.test(text)) {
    try {
      parsed = NQuads.parse(text)
    } catch {
      parsed = []
    }
  }
  const q = parsed[0]
  if (parsed.length !== 1 || q === undefined || q.graph.termType !== 'DefaultGraph') {
    throw new CairnError('RDF_SYNTAX', `parseLine: not one N-Triples line: ${JSON.stringify(text.slice(0, 200))}`,
      { details: { line: 1 } })
  }
  return quad(toTerm(q.subject) as Quad['subject'], toTerm(q.predicate) as Quad['predicate'], toTerm(q.object) as Quad['object'], defaultGraph())
}
