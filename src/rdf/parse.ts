/**
 * Text → RDF/JS quads for every {@link RdfFormat}. Turtle, TriG, N-Triples and N-Quads go through n3's Parser;
 * JSON-LD through jsonld.toRDF with the offline document loader. Every error leaves as a CairnError.
 */
import type { Quad, Term } from '@rdfjs/types'
import { DataFactory, Parser } from 'n3'
import jsonld from 'jsonld'
import { CairnError, isCairnError } from '../errors.js'
import { ABSOLUTE_IRI } from './constants.js'
import { createDocumentLoader } from './document-loader.js'
import { RDF_FORMATS, n3FormatName } from './formats.js'
import type { RdfFormat } from './formats.js'
import { jsonErrorPosition } from './json-position.js'
import { uniqueQuads } from './quads.js'

const { namedNode, blankNode, literal, quad, defaultGraph } = DataFactory

export interface ParseOptions {
  format: RdfFormat
  /** Absolute IRI against which relative IRIs are resolved (default: none, so relative IRIs are refused). */
  base?: string
  /** Let JSON-LD fetch contexts that are not bundled (default false: RDF_REMOTE_CONTEXT). */
  allowRemoteContexts?: boolean
  /** Refuse documents with more distinct quads than this (default: no limit) with RDF_TOO_MANY_TRIPLES. */
  maxTriples?: number
}

const FORMAT_LABEL: Record<RdfFormat, string> = {
  jsonld: 'JSON-LD', nquads: 'N-Quads', ntriples: 'N-Triples', turtle: 'Turtle', trig: 'TriG'
}

/**
 * Parse an RDF document into distinct quads (duplicates dropped: a graph is a set). Zero quads is a valid result.
 * Throws CairnError RDF_SYNTAX (with `details.line`/`column` where known), RDF_RELATIVE_IRI, RDF_REMOTE_CONTEXT,
 * RDF_TOO_MANY_TRIPLES or RDF_UNSUPPORTED_FORMAT.
 */
export async function parseRdf (text: string, options: ParseOptions): Promise<Quad[]> {
  const { format, base } = options
  if (!RDF_FORMATS.includes(format)) {
    throw new CairnError('RDF_UNSUPPORTED_FORMAT', `parseRdf: unknown format "${String(format)}"; use one of ${RDF_FORMATS.join(', ')}`,
      { details: { format } })
  }
  if (base !== undefined && !ABSOLUTE_IRI.test(base)) {
    throw new CairnError('RDF_RELATIVE_IRI', `parseRdf: base "${base}" is not an absolute IRI; pass one with a scheme, e.g. https://example.org/`,
      { details: { base } })
  }
  // A UTF-8 BOM is legal at the start of a file but neither JSON.parse nor n3 skip it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const parsed = format === 'jsonld' ? await parseJsonLd(body, options) : parseWithN3(body, format, base)
  const quads = uniqueQuads(parsed)
  if (options.maxTriples !== undefined && quads.length > options.maxTriples) {
    throw new CairnError('RDF_TOO_MANY_TRIPLES',
      `parseRdf: document has ${quads.length} triples, more than the limit of ${options.maxTriples}; split it into smaller assets`,
      { details: { max: options.maxTriples } })
  }
  for (const q of quads) {
    checkTerm(q.subject, 'subject')
    checkTerm(q.predicate, 'predicate')
    checkTerm(q.object, 'object')
    checkTerm(q.graph, 'graph')
  }
  return quads
}

function checkIri (iri: string, position: string): void {
  if (!ABSOLUTE_IRI.test(iri)) {
    throw new CairnError('RDF_RELATIVE_IRI',
      `parseRdf: ${position} IRI <${iri}> is relative; pass a \`base\` (an absolute IRI) to resolve it, or write it in full`,
      { details: { iri, position } })
  }
}

function checkTerm (term: Term, position: string): void {
  switch (term.termType) {
    case 'NamedNode':
      checkIri(term.value, position)
      return
    case 'Literal':
      checkIri(term.datatype.value, `${position} datatype`)
      if (term.direction != null && term.direction !== '') {
        // rdf-canonize (RDFC-1.0) has no base direction: two different literals would canonicalize alike.
        throw new CairnError('RDF_SYNTAX', `parseRdf: literal with base direction "${term.direction}" (RDF 1.2) is not supported; drop the direction`,
          { details: { position } })
      }
      return
    case 'Quad':
    case 'Variable':
      throw new CairnError('RDF_SYNTAX',
        `parseRdf: ${term.termType === 'Quad' ? 'triple terms (RDF 1.2 / RDF-star)' : 'variables'} are not supported in the ${position}`,
        { details: { position } })
    default:
  }
}

interface N3SyntaxError extends Error {
  context?: { line?: number, token?: { start?: number } }
}

function parseWithN3 (text: string, format: Exclude<RdfFormat, 'jsonld'>, base: string | undefined): Quad[] {
  const parser = new Parser({ format: n3FormatName(format), ...(base === undefined ? {} : { baseIRI: base }) })
  try {
    return parser.parse(text)
  } catch (err) {
    const context = (err as N3SyntaxError).context
    const line = context?.line
    const start = context?.token?.start
    const details: Record<string, unknown> = {}
    if (typeof line === 'number') details.line = line
    if (typeof start === 'number') details.column = start + 1 // n3 token offsets are 0-based within the line
    throw new CairnError('RDF_SYNTAX', `parseRdf: ${FORMAT_LABEL[format]} syntax error: ${(err as Error).message}`,
      { details, cause: err })
  }
}

// ---- JSON-LD ----

interface JsonLdTerm {
  termType: string
  value: string
  datatype?: { value: string }
  language?: string
}

interface JsonLdQuad { subject: JsonLdTerm, predicate: JsonLdTerm, object: JsonLdTerm, graph: JsonLdTerm }

interface JsonLdEvent { code?: string, level?: string, message?: string, details?: Record<string, unknown> }

type EventHandler = (arg: { event: JsonLdEvent, next: () => void }) => void

const jsonldApi = jsonld as unknown as {
  toRDF: (input: unknown, options: Record<string, unknown>) => Promise<JsonLdQuad[]>
  safeEventHandler: EventHandler
}

/**
 * jsonld's safe mode (fail on every lossy conversion) except for nodes that carry no data at all — `{}`, a bare
 * context, `{"@id": …}` alone — which safe mode also refuses but which lose no triple; an empty result is for
 * the caller to judge (RDF_EMPTY_GRAPH lives in the asset service).
 */
const TOLERATED_EVENTS = new Set(['empty object', 'object with only @id'])
const strictButEmptyOk: EventHandler = ({ event, next }) => {
  if (event.code !== undefined && TOLERATED_EVENTS.has(event.code)) { next(); return }
  jsonldApi.safeEventHandler({ event, next })
}

async function parseJsonLd (text: string, options: ParseOptions): Promise<Quad[]> {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (err) {
    const at = jsonErrorPosition(text)
    throw new CairnError('RDF_SYNTAX',
      `parseRdf: invalid JSON${at === undefined ? '' : ` at line ${at.line}, column ${at.column}`}: ${(err as Error).message}`,
      { details: at ?? {}, cause: err })
  }
  let raw: JsonLdQuad[]
  try {
    raw = await jsonldApi.toRDF(doc, {
      ...(options.base === undefined ? {} : { base: options.base }),
      eventHandler: strictButEmptyOk,
      documentLoader: createDocumentLoader({ allowRemoteContexts: options.allowRemoteContexts === true })
    })
  } catch (err) {
    throw jsonLdError(err)
  }
  return raw.map(q => quad(
    fromJsonLdTerm(q.subject) as Quad['subject'],
    fromJsonLdTerm(q.predicate) as Quad['predicate'],
    fromJsonLdTerm(q.object) as Quad['object'],
    fromJsonLdTerm(q.graph) as Quad['graph']
  ))
}

function fromJsonLdTerm (t: JsonLdTerm): Term {
  switch (t.termType) {
    case 'NamedNode': return namedNode(t.value)
    case 'BlankNode': return blankNode(t.value.startsWith('_:') ? t.value.slice(2) : t.value)
    case 'DefaultGraph': return defaultGraph()
    default:
      return t.language !== undefined && t.language !== ''
        ? literal(t.value, t.language)
        : literal(t.value, namedNode(t.datatype?.value ?? 'http://www.w3.org/2001/XMLSchema#string'))
  }
}

/** jsonld wraps loader errors (our RDF_REMOTE_CONTEXT) in its own; dig them out. */
function findCairnError (err: unknown, depth = 0): CairnError | undefined {
  if (isCairnError(err)) return err
  if (depth > 5 || typeof err !== 'object' || err === null) return undefined
  const e = err as { cause?: unknown, details?: { cause?: unknown } }
  return findCairnError(e.details?.cause, depth + 1) ?? findCairnError(e.cause, depth + 1)
}

const EVENT_HINTS: Record<string, string> = {
  'invalid property': 'define the term in the @context or set @vocab',
  'blank node predicate': 'use an IRI as property',
  'rdfDirection not set': 'drop @direction',
  'free-floating scalar': 'wrap values in a node object',
  'invalid @language value': 'use a BCP 47 language tag'
}

function jsonLdError (err: unknown): unknown {
  const cairn = findCairnError(err)
  if (cairn !== undefined) return cairn
  const e = err as { name?: unknown, message?: unknown, details?: { code?: unknown, event?: JsonLdEvent } }
  if (typeof e?.name !== 'string' || !e.name.startsWith('jsonld.')) return err
  const event = e.details?.event
  if (event !== undefined) {
    const code = event.code ?? 'unknown'
    const what = `${event.message ?? String(e.message)}${event.details === undefined ? '' : ` ${JSON.stringify(event.details)}`}`
    if (code.startsWith('relative ')) {
      return new CairnError('RDF_RELATIVE_IRI', `parseRdf: JSON-LD ${what}; pass a \`base\` (an absolute IRI) to resolve relative IRIs, or write them in full`,
        { details: { code, ...event.details }, cause: err })
    }
    const hint = EVENT_HINTS[code]
    return new CairnError('RDF_SYNTAX', `parseRdf: JSON-LD ${what}${hint === undefined ? '' : `; ${hint}`}`,
      { details: { code }, cause: err })
  }
  const code = typeof e.details?.code === 'string' ? e.details.code : e.name
  return new CairnError('RDF_SYNTAX', `parseRdf: JSON-LD error (${code}): ${String(e.message)}`, { details: { code }, cause: err })
}
