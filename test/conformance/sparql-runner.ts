/**
 * Runs W3C SPARQL tests against two targets with the same inputs and the same comparison:
 * - `EndpointTarget`: Cairn's SPARQL HTTP endpoint (createSparqlRouter + error handler on 127.0.0.1:0) over a
 *   store-less engine (oxigraph replicas in worker threads) fed by `loadDataset` — the code path under test;
 * - `InProcessTarget`: a plain in-process `oxigraph.Store`, to measure what oxigraph passes on its own.
 */
import { existsSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { DataFactory, Parser, Writer } from 'n3'
import type { Quad, Term as RdfTerm } from '@rdfjs/types'
import ox from 'oxigraph'
import { pino } from 'pino'
import { createErrorHandler } from '../../src/api/error-handler.js'
import { createSparqlRouter } from '../../src/api/routes/sparql.js'
import { createSparqlEngine } from '../../src/sparql/index.js'
import type { DatasetLoader, SparqlEngine } from '../../src/sparql/index.js'
import { localUrl, readSuiteFile, SUITE_IRI } from './sparql-manifest.js'
import type { TestCase } from './sparql-manifest.js'
import { compareResults, fromRdf, parseCsv, parseResultFile, parseSrj, parseSrx, parseTsv, parseTurtle, termKey } from './sparql-results.js'
import type { Results, Term } from './sparql-results.js'

export interface Outcome {
  pass: boolean
  /** Why it failed (one line). */
  reason?: string
  /** Failed only on literal lexical forms: equal once both sides go through an oxigraph store (diagnosis). */
  lexicalOnly?: boolean
}

// ---------------------------------------------------------------------------------------------------------------
// Skips: whole groups, each with its reason. Individual tests are never skipped; known failures live in the baseline.

export interface SkipRule {
  /** Shown in docs/conformance.md. */
  group: string
  reason: string
  applies: (t: TestCase) => boolean
}

export const SKIP_RULES: readonly SkipRule[] = [
  {
    group: 'SPARQL 1.1 Update evaluation (`mf:UpdateEvaluationTest`: add, basic-update, clear, copy, delete*, drop, move, update-silent)',
    reason: 'the endpoint is read-only by design: every update is refused with 403 CAIRN_SPARQL_UPDATE_REFUSED; knowledge changes go through asset publishing',
    applies: (t) => t.kind === 'UpdateEvaluationTest'
  },
  {
    group: 'SPARQL 1.1 Update syntax (`mf:PositiveUpdateSyntaxTest11` / `mf:NegativeUpdateSyntaxTest11`: syntax-update-1, syntax-update-2)',
    reason: 'update requests are refused before parsing (403 CAIRN_SPARQL_UPDATE_REFUSED), so the endpoint never judges update syntax',
    applies: (t) => t.kind === 'PositiveUpdateSyntaxTest11' || t.kind === 'NegativeUpdateSyntaxTest11'
  },
  {
    group: 'Update-syntax negative tests filed under query folders (`mf:NegativeSyntaxTest11` on a `.ru` file, e.g. delete-insert)',
    reason: 'the action is an update request; the endpoint refuses updates before parsing (403 CAIRN_SPARQL_UPDATE_REFUSED)',
    applies: (t) => t.kind.includes('SyntaxTest') && (t.query ?? '').endsWith('.ru')
  },
  {
    group: 'SPARQL 1.1 Protocol (`mf:ProtocolTest`, protocol/)',
    reason: 'the tests are prose descriptions of HTTP exchanges (including updates) for a manual or bespoke harness; the protocol surface is covered by test/e2e/sparql.spec.ts',
    applies: (t) => t.kind === 'ProtocolTest'
  },
  {
    group: 'SPARQL 1.1 Graph Store HTTP Protocol (`mf:GraphStoreProtocolTest`, graph-store-protocol/)',
    reason: 'Cairn has no Graph Store Protocol endpoint (graphs are asset versions, written by publishing)',
    applies: (t) => t.kind === 'GraphStoreProtocolTest'
  },
  {
    group: 'SPARQL 1.1 Service Description (`mf:ServiceDescriptionTest`, service-description/)',
    reason: 'the tests need a dereferenceable endpoint checked by an external harness; GET /sparql without a query returns a service description (test/e2e)',
    applies: (t) => t.kind === 'ServiceDescriptionTest'
  },
  {
    group: 'SPARQL 1.1 Entailment Regimes (entailment/, every test has `sd:entailmentRegime`)',
    reason: 'Cairn (like oxigraph) evaluates under simple entailment only; RDF/RDFS/D/OWL regimes are not implemented',
    applies: (t) => t.entailment || t.folder === 'entailment'
  },
  {
    group: 'SPARQL 1.1 Federated Query evaluation (service/, `qt:serviceData`)',
    reason: 'SERVICE is refused by policy (403 CAIRN_SPARQL_SERVICE_REFUSED): a public endpoint makes no outbound requests',
    applies: (t) => t.folder === 'service'
  },
  {
    group: 'SPARQL 1.1 Federated Query syntax (syntax-fed/, positive syntax tests using SERVICE)',
    reason: 'SERVICE is refused before parsing (403 CAIRN_SPARQL_SERVICE_REFUSED), so the endpoint never judges their syntax',
    applies: (t) => t.folder === 'syntax-fed'
  }
]

export function skipRule (t: TestCase): SkipRule | undefined {
  return SKIP_RULES.find((r) => r.applies(t))
}

// ---------------------------------------------------------------------------------------------------------------
// Query inspection (a small lexer: comments, strings and IRIs are skipped so their content never counts)

interface Token { kind: 'word' | 'iri' | 'var' | 'punct', text: string, depth: number }

function tokenize (q: string): Token[] {
  const out: Token[] = []
  let depth = 0
  let i = 0
  while (i < q.length) {
    const c = q[i]
    if (c === '#') {
      while (i < q.length && q[i] !== '\n' && q[i] !== '\r') i++
    } else if (c === '"' || c === "'") {
      const long = q.startsWith(c.repeat(3), i)
      const close = long ? c.repeat(3) : c
      i += close.length
      while (i < q.length && !q.startsWith(close, i)) i += q[i] === '\\' ? 2 : 1
      i += close.length
    } else if (c === '<') {
      const end = q.indexOf('>', i + 1)
      if (end !== -1 && !/[\s<"{}|^`\\]/.test(q.slice(i + 1, end))) {
        out.push({ kind: 'iri', text: q.slice(i + 1, end), depth })
        i = end + 1
      } else {
        i++
      }
    } else if (c === '?' || c === '$') {
      let j = i + 1
      while (j < q.length && /[\w\u00B7\u00C0-\uFFFF]/.test(q[j])) j++
      if (j > i + 1) out.push({ kind: 'var', text: q.slice(i + 1, j), depth })
      i = j
    } else if (/[A-Za-z_:]/.test(c)) {
      let j = i
      while (j < q.length && /[\w.:\-\u00B7\u00C0-\uFFFF]/.test(q[j])) j++
      out.push({ kind: 'word', text: q.slice(i, j).replace(/\.+$/, ''), depth })
      i = j
    } else {
      if (c === '{') depth++
      if (c === '}') depth--
      if (c === '{' || c === '}' || c === '(' || c === ')') out.push({ kind: 'punct', text: c, depth })
      i++
    }
  }
  return out
}

export interface QueryShape {
  form: 'SELECT' | 'ASK' | 'CONSTRUCT' | 'DESCRIBE' | undefined
  /** A top-level ORDER BY: the result sequence matters. */
  ordered: boolean
  /** The ORDER BY keys when all are plain variables (`?x`, `ASC(?x)`, `DESC(?x)`): rows with equal keys may swap. */
  orderKeys: string[] | undefined
  /** FROM / FROM NAMED graph IRIs, resolved (the test harness loads those files into named graphs). */
  from: string[]
  fromNamed: string[]
}

export function queryShape (query: string, base: string): QueryShape {
  const tokens = tokenize(query)
  const prefixes = new Map<string, string>()
  let baseIri = base
  let form: QueryShape['form']
  let ordered = false
  let orderKeys: string[] | undefined
  const from: string[] = []
  const fromNamed: string[] = []
  const resolve = (t: Token | undefined): string | undefined => {
    if (t === undefined) return undefined
    if (t.kind === 'iri') return new URL(t.text, baseIri).href
    const colon = t.text.indexOf(':')
    const ns = prefixes.get(t.text.slice(0, colon + 1))
    return ns === undefined ? undefined : ns + t.text.slice(colon + 1)
  }
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]
    if (t.kind !== 'word') continue
    const word = t.text.toUpperCase()
    if (word === 'BASE' && form === undefined && tokens[k + 1]?.kind === 'iri') {
      baseIri = new URL(tokens[k + 1].text, baseIri).href
    } else if (word === 'PREFIX' && form === undefined && tokens[k + 2]?.kind === 'iri') {
      prefixes.set(tokens[k + 1].text, new URL(tokens[k + 2].text, baseIri).href)
    } else if (form === undefined && (word === 'SELECT' || word === 'ASK' || word === 'CONSTRUCT' || word === 'DESCRIBE')) {
      form = word
    } else if (word === 'FROM' && t.depth === 0) {
      const named = tokens[k + 1]?.text.toUpperCase() === 'NAMED'
      const iri = resolve(tokens[k + (named ? 2 : 1)])
      if (iri !== undefined) (named ? fromNamed : from).push(iri)
    } else if (word === 'ORDER' && t.depth === 0 && tokens[k + 1]?.text.toUpperCase() === 'BY') {
      ordered = true
      orderKeys = orderByVariables(tokens.slice(k + 2))
    }
  }
  return { form, ordered, orderKeys, from, fromNamed }
}

/** `?a DESC(?b)` → ['a', 'b']; undefined as soon as a key is an expression. */
function orderByVariables (tokens: Token[]): string[] | undefined {
  const keys: string[] = []
  let k = 0
  while (k < tokens.length) {
    const t = tokens[k]
    const word = t.kind === 'word' ? t.text.toUpperCase() : ''
    if (word === 'LIMIT' || word === 'OFFSET' || word === 'VALUES') break
    if (t.kind === 'var') {
      keys.push(t.text)
      k++
    } else if ((word === 'ASC' || word === 'DESC') && tokens[k + 1]?.text === '(' && tokens[k + 2]?.kind === 'var' && tokens[k + 3]?.text === ')') {
      keys.push(tokens[k + 2].text)
      k += 4
    } else {
      return undefined
    }
  }
  return keys.length > 0 ? keys : undefined
}

// ---------------------------------------------------------------------------------------------------------------
// Test preparation (shared by both targets)

/** The result serialization asked of the engine: the expected file's own format where it has one. */
export type Wire = 'json' | 'xml' | 'csv' | 'tsv' | 'graph'

const SOLUTIONS_MEDIA: Record<Exclude<Wire, 'graph'>, string> = {
  json: 'application/sparql-results+json',
  xml: 'application/sparql-results+xml',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values'
}

export interface Prepared {
  /** The query text as the test has it. */
  query: string
  /** The query's base IRI: its manifest IRI. */
  base: string
  shape: QueryShape
  /** The dataset as N-Quads: qt:data in the default graph, qt:graphData and FROM/FROM NAMED files in named graphs. */
  nquads: string
  expected: Results
  ordered: boolean
  wire: Wire
}

const dataCache = new Map<string, Quad[]>()

/** Data file → quads (n3 for Turtle/N-Triples, oxigraph for RDF/XML); blank labels are unique per file. */
function readData (file: string): Quad[] {
  const cached = dataCache.get(file)
  if (cached !== undefined) return cached
  const text = readSuiteFile(file)
  let quads: Quad[]
  if (file.endsWith('.rdf')) {
    quads = ox.parse(text, { format: 'application/rdf+xml', base_iri: file }).map((q) => DataFactory.quad(
      toN3(q.subject) as Quad['subject'], toN3(q.predicate) as Quad['predicate'], toN3(q.object) as Quad['object']))
  } else {
    quads = new Parser({ baseIRI: file, format: file.endsWith('.nt') ? 'N-Triples' : 'Turtle' }).parse(text)
  }
  dataCache.set(file, quads)
  return quads
}

function toN3 (t: ox.Term): Quad['object'] {
  switch (t.termType) {
    case 'NamedNode': return DataFactory.namedNode(t.value)
    case 'BlankNode': return DataFactory.blankNode(`rdfxml_${t.value}`)
    case 'Literal': return DataFactory.literal(t.value, t.language !== '' ? t.language : DataFactory.namedNode(t.datatype.value))
    default: throw new Error(`unexpected ${t.termType} in RDF/XML data`)
  }
}

export function toNQuads (defaultData: string[], named: Array<{ name: string, file: string }>): string {
  const quads: Quad[] = []
  for (const file of defaultData) quads.push(...readData(file))
  for (const { name, file } of named) {
    // The same file in two graphs gives two copies with distinct blank nodes, as loading it twice would.
    const g = DataFactory.namedNode(name)
    const suffix = `_g${quads.length}`
    for (const q of readData(file)) {
      const s = q.subject.termType === 'BlankNode' ? DataFactory.blankNode(q.subject.value + suffix) : q.subject
      const o = q.object.termType === 'BlankNode' ? DataFactory.blankNode(q.object.value + suffix) : q.object
      quads.push(DataFactory.quad(s, q.predicate, o, g))
    }
  }
  return new Writer({ format: 'N-Quads' }).quadsToString(quads)
}

export function prepare (t: TestCase): Prepared {
  if (t.query === undefined || t.result === undefined) throw new Error(`${t.id}: no query or result in the manifest`)
  const query = readSuiteFile(t.query)
  const shape = queryShape(query, t.query)
  const named = [...t.graphData]
  for (const g of [...shape.from, ...shape.fromNamed]) {
    // FROM <file> names a graph the harness must provide (SPARQL §13.2: the dataset comes from the query).
    if (named.some((n) => n.name === g) || !g.startsWith(SUITE_IRI) || !existsSync(localUrl(g))) continue
    named.push({ name: g, file: g })
  }
  const expected = parseResultFile(readSuiteFile(t.result), t.result)
  const ext = t.result.slice(t.result.lastIndexOf('.') + 1)
  const wire: Wire = shape.form === 'CONSTRUCT' || shape.form === 'DESCRIBE'
    ? 'graph'
    : ext === 'srx' ? 'xml' : ext === 'csv' ? 'csv' : ext === 'tsv' ? 'tsv' : 'json'
  return {
    query,
    base: t.query,
    shape,
    nquads: toNQuads(t.data, named),
    expected,
    ordered: shape.ordered || expected.ordered === true,
    wire
  }
}

/** Read a result body of the given wire format (both targets go through this). */
export function readResult (wire: Wire, body: string): Results {
  switch (wire) {
    case 'json': return parseSrj(body)
    case 'xml': return parseSrx(body)
    case 'csv': return parseCsv(body)
    case 'tsv': return parseTsv(body)
    case 'graph': return { type: 'graph', triples: parseTurtle(body, 'urn:x-result:') }
  }
}

function judge (p: Prepared, t: TestCase, actual: Results): Outcome {
  const options = { ordered: p.ordered, lax: t.laxCardinality, ...(p.shape.orderKeys === undefined ? {} : { orderKeys: p.shape.orderKeys }) }
  const reason = compareResults(p.expected, actual, options)
  if (reason === undefined) return { pass: true }
  // Diagnosis only (never a pass): would it match if both sides' literals were stored values, as oxigraph's own
  // test suite compares them?
  const normalized = compareResults(normalizeResults(p.expected), normalizeResults(actual), options) === undefined
  return { pass: false, reason, ...(normalized ? { lexicalOnly: true } : {}) }
}

const normalized = new Map<string, Term>()
/**
 * A literal as an oxigraph store gives it back: the store keeps the value of numeric, boolean and date/time
 * literals, not their lexical form ("01"^^xsd:integer comes back as "1").
 */
function normalizeTerm (t: Term): Term {
  if (t.type !== 'literal') return t
  const key = termKey(t)
  let out = normalized.get(key)
  if (out === undefined) {
    const store = new ox.Store()
    const lit = t.language !== '' ? ox.literal(t.value, t.language) : ox.literal(t.value, ox.namedNode(t.datatype))
    store.add(ox.quad(ox.namedNode('urn:x:s'), ox.namedNode('urn:x:p'), lit))
    out = fromRdf(store.match()[0].object as RdfTerm)
    normalized.set(key, out)
  }
  return out
}

function normalizeResults (r: Results): Results {
  switch (r.type) {
    case 'boolean': return r
    case 'graph': return { type: 'graph', triples: r.triples.map((x) => x.map(normalizeTerm)) }
    case 'solutions': return { ...r, rows: r.rows.map((row) => new Map([...row].map(([k, v]) => [k, normalizeTerm(v)]))) }
  }
}

const isSyntaxTest = (t: TestCase): boolean => t.kind.includes('SyntaxTest')
const isPositive = (t: TestCase): boolean => t.kind.startsWith('Positive')

/** What both targets expose. */
export interface Target {
  run: (t: TestCase) => Promise<Outcome>
}

// ---------------------------------------------------------------------------------------------------------------
// Cairn's HTTP endpoint

/**
 * The endpoint has no base-IRI parameter, so the runner prepends `BASE <query file IRI>` to every query. A query's
 * own BASE still wins: an absolute one replaces ours, a relative one resolves against ours (SPARQL §4.1.1.1), so
 * prepending is harmless even when the query has a BASE.
 */
export const withBase = (query: string, base: string): string => `BASE <${base}>\n${query}`

export class EndpointTarget implements Target {
  private engine: (SparqlEngine & DatasetLoader) | undefined
  private server: Server | undefined
  private url = ''

  async start (): Promise<void> {
    const logger = pino({ level: 'silent' })
    this.engine = createSparqlEngine({ replicas: 1, timeoutMs: 10_000 }, { logger })
    this.engine.start()
    await this.engine.whenReady()
    const app = express()
    app.use(createSparqlRouter({ engine: this.engine, bodyLimit: 1024 * 1024 }))
    app.use(createErrorHandler(logger))
    const server = app.listen(0, '127.0.0.1')
    this.server = server
    await new Promise<void>((resolve, reject) => { server.once('listening', resolve).once('error', reject) })
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sparql`
  }

  async stop (): Promise<void> {
    await new Promise<void>((resolve) => { this.server?.close(() => { resolve() }) ?? resolve() })
    await this.engine?.stop()
  }

  async run (t: TestCase): Promise<Outcome> {
    const engine = this.engine
    if (engine === undefined) throw new Error('EndpointTarget.start() first')
    if (isSyntaxTest(t)) {
      // Syntax tests go by GET ?query= against an empty dataset.
      await engine.loadDataset('')
      const res = await fetch(`${this.url}?query=${encodeURIComponent(withBase(readSuiteFile(t.query ?? ''), t.query ?? ''))}`, {
        headers: { accept: 'application/sparql-results+json, application/n-triples;q=0.9' }
      })
      const body = await res.text()
      const rejected = res.status === 400 && problemCode(body) === 'CAIRN_SPARQL_SYNTAX'
      if (isPositive(t)) {
        // Parsed: answered, or refused by evaluation (oxigraph plans custom functions it lacks as errors).
        if (res.ok || (res.status === 400 && problemCode(body) === 'CAIRN_SPARQL_EVAL')) return { pass: true }
        return { pass: false, reason: rejected ? `rejected as a syntax error: ${problemDetail(body)}` : `HTTP ${res.status} ${problemCode(body)}: ${problemDetail(body)}` }
      }
      if (rejected) return { pass: true }
      return { pass: false, reason: res.ok ? 'accepted (HTTP 200)' : `HTTP ${res.status} ${problemCode(body)} instead of 400 CAIRN_SPARQL_SYNTAX` }
    }
    const p = prepare(t)
    await engine.loadDataset(p.nquads)
    // Evaluation tests go by POST application/sparql-query.
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/sparql-query', accept: p.wire === 'graph' ? 'application/n-triples' : SOLUTIONS_MEDIA[p.wire] },
      body: withBase(p.query, p.base)
    })
    const body = await res.text()
    if (!res.ok) return { pass: false, reason: `HTTP ${res.status} ${problemCode(body)}: ${problemDetail(body)}` }
    if (res.headers.get('cairn-truncated') === 'true') return { pass: false, reason: 'result truncated by a row or byte cap' }
    return judge(p, t, readResult(p.wire, body))
  }
}

function problemCode (body: string): string {
  try { return (JSON.parse(body) as { code?: string }).code ?? '' } catch { return '' }
}
function problemDetail (body: string): string {
  try { return ((JSON.parse(body) as { detail?: string }).detail ?? '').split('\n')[0].slice(0, 200) } catch { return body.slice(0, 200) }
}

// ---------------------------------------------------------------------------------------------------------------
// oxigraph on its own

export class InProcessTarget implements Target {
  async run (t: TestCase): Promise<Outcome> {
    const store = new ox.Store()
    const query = readSuiteFile(t.query ?? '')
    if (isSyntaxTest(t)) {
      // oxigraph-js has no parse-only call: run the query on an empty store; its parser's errors (and only those)
      // read "error at line:column: …". Other errors (an unsupported custom function) come from planning.
      let error: string | undefined
      try { store.query(query, { base_iri: t.query ?? '' }) } catch (err) { error = err instanceof Error ? err.message : String(err) }
      const rejected = error !== undefined && /^error at \d+:\d+/.test(error)
      if (isPositive(t)) return rejected ? { pass: false, reason: `rejected: ${(error ?? '').split('\n')[0].slice(0, 200)}` } : { pass: true }
      return rejected ? { pass: true } : { pass: false, reason: error === undefined ? 'accepted' : `not a syntax error: ${error.split('\n')[0].slice(0, 200)}` }
    }
    const p = prepare(t)
    if (p.nquads !== '') store.load(p.nquads, { format: 'application/n-quads' })
    let out: unknown
    try {
      out = store.query(p.query, { base_iri: p.base, results_format: p.wire === 'graph' ? 'application/n-triples' : SOLUTIONS_MEDIA[p.wire] })
    } catch (err) {
      return { pass: false, reason: `error: ${(err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 200)}` }
    }
    return judge(p, t, readResult(p.wire, String(out)))
  }
}
