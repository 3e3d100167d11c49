/**
 * SPARQL results for the conformance runner: one term model, parsers for every format the W3C suites use as
 * expected results (SRX, SRJ, TSV, CSV, the `rs:` result-set vocabulary in Turtle or RDF/XML, RDF graphs), and a
 * comparison with blank-node isomorphism (one consistent bijection of blank labels across the whole result).
 */
import { Parser } from 'n3'
import type { Term as RdfTerm } from '@rdfjs/types'
import ox from 'oxigraph'

const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string'
const RDF_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString'
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#'
const RS = 'http://www.w3.org/2001/sw/DataAccess/tests/result-set#'

export type Term =
  | { type: 'iri', value: string }
  | { type: 'bnode', value: string }
  | { type: 'literal', value: string, datatype: string, language: string }

/** A solution: variable name → term (unbound variables are absent). */
export type Solution = Map<string, Term>

export type Results =
  | { type: 'boolean', value: boolean }
  | { type: 'solutions', vars: string[], rows: Solution[] }
  | { type: 'graph', triples: Term[][] }

export const iri = (value: string): Term => ({ type: 'iri', value })
export const bnode = (value: string): Term => ({ type: 'bnode', value })
export function literal (value: string, datatype?: string, language?: string): Term {
  const lang = (language ?? '').toLowerCase()
  return { type: 'literal', value, language: lang, datatype: lang !== '' ? RDF_LANG_STRING : (datatype ?? XSD_STRING) }
}

/** RDF/JS (n3) or oxigraph term → Term. */
export function fromRdf (t: RdfTerm): Term {
  switch (t.termType) {
    case 'NamedNode': return iri(t.value)
    case 'BlankNode': return bnode(t.value)
    case 'Literal': return literal(t.value, t.datatype.value, t.language)
    default: throw new Error(`unsupported term in results: ${t.termType}`)
  }
}

/** RDF term equality (RDF 1.1 Concepts §3.1): IRIs by code points, literals by lexical form, datatype and language. */
export function termKey (t: Term): string {
  switch (t.type) {
    case 'iri': return `<${t.value}>`
    case 'bnode': return `_:${t.value}`
    case 'literal': return `${JSON.stringify(t.value)}${t.language !== '' ? `@${t.language}` : `^^<${t.datatype}>`}`
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Parsers

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }
function xmlText (s: string): string {
  return s.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_m, raw: string) => raw.replace(/&/g, '&amp;').replace(/</g, '&lt;'))
    .replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (m, e: string) =>
      e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : XML_ENTITIES[e] ?? m)
}
function xmlAttrs (s: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const m of s.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out[m[1]] = xmlText(m[2] ?? m[3] ?? '')
  return out
}

/**
 * SPARQL Query Results XML Format (https://www.w3.org/TR/rdf-sparql-XMLres/). A small regex reader: the format is
 * flat (head, results/result/binding/term or boolean) and the suite files are well formed.
 */
export function parseSrx (text: string): Results {
  const doc = text.replace(/<!--[\s\S]*?-->/g, '').replace(/<\?[\s\S]*?\?>/g, '')
  const boolean = /<boolean\s*>\s*(true|false)\s*<\/boolean>/.exec(doc)
  if (boolean !== null) return { type: 'boolean', value: boolean[1] === 'true' }
  const vars = [...doc.matchAll(/<variable\b([^>]*?)\/?>/g)].map((m) => xmlAttrs(m[1]).name)
  const rows: Solution[] = []
  for (const result of doc.matchAll(/<result\b[^>]*?(?:\/>|>([\s\S]*?)<\/result\s*>)/g)) {
    const row: Solution = new Map()
    for (const b of (result[1] ?? '').matchAll(/<binding\b([^>]*)>([\s\S]*?)<\/binding\s*>/g)) {
      const term = /^\s*<(uri|bnode|literal)\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1\s*>)\s*$/.exec(b[2])
      if (term === null) throw new Error(`SRX: cannot read binding ${b[0].slice(0, 120)}`)
      const [, kind, attrs, content = ''] = term
      const a = xmlAttrs(attrs)
      const name = xmlAttrs(b[1]).name
      if (kind === 'uri') row.set(name, iri(xmlText(content).trim()))
      else if (kind === 'bnode') row.set(name, bnode(xmlText(content).trim()))
      else row.set(name, literal(xmlText(content), a.datatype, a['xml:lang']))
    }
    rows.push(row)
  }
  return { type: 'solutions', vars, rows }
}

interface SrjTerm { type: string, value: string, datatype?: string, 'xml:lang'?: string }

/** SPARQL 1.1 Query Results JSON Format (also the pre-REC `typed-literal`). */
export function parseSrj (text: string): Results {
  const doc = JSON.parse(text) as { head?: { vars?: string[] }, boolean?: boolean, results?: { bindings: Array<Record<string, SrjTerm>> } }
  if (typeof doc.boolean === 'boolean') return { type: 'boolean', value: doc.boolean }
  const rows = (doc.results?.bindings ?? []).map((b) => new Map(Object.entries(b).map(([k, t]): [string, Term] => {
    switch (t.type) {
      case 'uri': return [k, iri(t.value)]
      case 'bnode': return [k, bnode(t.value)]
      case 'literal':
      case 'typed-literal': return [k, literal(t.value, t.datatype, t['xml:lang'])]
      default: throw new Error(`SRJ: unsupported term type ${t.type}`)
    }
  })))
  return { type: 'solutions', vars: doc.head?.vars ?? [], rows }
}

/**
 * SPARQL 1.1 Query Results TSV: a header of `?var`s, then one row per line whose cells are RDF terms in Turtle
 * syntax (empty = unbound). The cells are read by n3 as objects of a throwaway Turtle document.
 */
export function parseTsv (text: string): Results {
  const lines = text.replace(/\r?\n$/, '').split(/\r?\n/)
  const vars = (lines[0] ?? '').split('\t').filter((v) => v !== '').map((v) => v.replace(/^[?$]/, ''))
  const cells: string[] = []
  const rows: Solution[] = lines.slice(1).map((line, r) => {
    line.split('\t').forEach((cell, c) => { if (cell !== '') cells.push(`<r:${r}> <c:${c}> ${cell} .`) })
    return new Map()
  })
  // Keep blank node labels as written so that `_:b0` in two cells stays one node.
  for (const q of new Parser({ format: 'Turtle', blankNodePrefix: '' }).parse(cells.join('\n'))) {
    rows[Number(q.subject.value.slice(2))].set(vars[Number(q.predicate.value.slice(2))], fromRdf(q.object))
  }
  return { type: 'solutions', vars, rows }
}

/**
 * SPARQL 1.1 Query Results CSV (RFC 4180). CSV drops term kinds, so both sides of a comparison go through this
 * reader: every cell becomes a plain string, except `_:label` cells, kept as blank nodes for isomorphism.
 */
export function parseCsv (text: string): Results {
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let quoted = false
  let i = 0
  for (; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++ } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') { record.push(field); field = '' } else if (c === '\r' && text[i + 1] === '\n') { /* CRLF: the \n ends the record */ } else if (c === '\n') { record.push(field); records.push(record); record = []; field = '' } else field += c
  }
  if (field !== '' || record.length > 0) { record.push(field); records.push(record) }
  const vars = records[0] ?? []
  const rows = records.slice(1).map((rec) => {
    const row: Solution = new Map()
    rec.forEach((cell, c) => {
      if (cell !== '') row.set(vars[c], cell.startsWith('_:') ? bnode(cell.slice(2)) : literal(cell))
    })
    return row
  })
  return { type: 'solutions', vars, rows }
}

/** Triples → Results: a graph, or a result set when it uses the DAWG `rs:` vocabulary. */
export function fromTriples (triples: Array<[Term, Term, Term]>): Results & { ordered?: boolean } {
  const isResultSet = triples.some(([, p, o]) => p.value === `${RDF}type` && o.value === `${RS}ResultSet`)
  if (!isResultSet) return { type: 'graph', triples }
  const index = new Map<string, Array<[Term, Term]>>()
  for (const [s, p, o] of triples) {
    const k = termKey(s)
    const list = index.get(k)
    if (list === undefined) index.set(k, [[p, o]])
    else list.push([p, o])
  }
  const objects = (s: Term, p: string): Term[] => (index.get(termKey(s)) ?? []).filter(([x]) => x.value === `${RS}${p}`).map(([, o]) => o)
  const set = triples.find(([, p, o]) => p.value === `${RDF}type` && o.value === `${RS}ResultSet`)?.[0] as Term
  const boolean = objects(set, 'boolean')[0]
  if (boolean !== undefined) return { type: 'boolean', value: boolean.value === 'true' }
  const vars = objects(set, 'resultVariable').map((t) => t.value)
  let ordered = false
  const rows = objects(set, 'solution').map((solution) => {
    const row: Solution = new Map()
    for (const binding of objects(solution, 'binding')) {
      const name = objects(binding, 'variable')[0]
      const value = objects(binding, 'value')[0]
      if (name !== undefined && value !== undefined) row.set(name.value, value)
    }
    const position = objects(solution, 'index')[0]
    if (position !== undefined) ordered = true
    return { row, position: position === undefined ? 0 : Number(position.value) }
  }).sort((a, b) => a.position - b.position).map((x) => x.row)
  return { type: 'solutions', vars, rows, ordered }
}

/** Turtle / N-Triples text → triples (n3; blank labels stay as written, so they are consistent within the text). */
export function parseTurtle (text: string, baseIRI: string): Array<[Term, Term, Term]> {
  return new Parser({ baseIRI, blankNodePrefix: '' }).parse(text).map((q) => [fromRdf(q.subject), fromRdf(q.predicate), fromRdf(q.object)])
}

/** RDF/XML text → triples (oxigraph's parser; n3 has none). */
export function parseRdfXml (text: string, baseIRI: string): Array<[Term, Term, Term]> {
  return ox.parse(text, { format: 'application/rdf+xml', base_iri: baseIRI }).map((q) => [fromRdf(q.subject as RdfTerm), fromRdf(q.predicate as RdfTerm), fromRdf(q.object as RdfTerm)])
}

/** An expected-result file, by extension. */
export function parseResultFile (text: string, fileIri: string): Results & { ordered?: boolean } {
  const ext = fileIri.slice(fileIri.lastIndexOf('.') + 1).toLowerCase()
  switch (ext) {
    case 'srx': return parseSrx(text)
    case 'srj': return parseSrj(text)
    case 'tsv': return parseTsv(text)
    case 'csv': return parseCsv(text)
    case 'ttl': case 'nt': case 'n3': return fromTriples(parseTurtle(text, fileIri))
    case 'rdf': return fromTriples(parseRdfXml(text, fileIri))
    default: throw new Error(`no reader for result file ${fileIri}`)
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Comparison

export interface CompareOptions {
  /** Compare the sequence (the query has a top-level ORDER BY). */
  ordered?: boolean
  /**
   * The ORDER BY keys when they are all plain variables: then only the sequence of key values must match and rows
   * with equal keys may come in any order (SPARQL §15.1 leaves ties unordered). Otherwise the order is strict.
   */
  orderKeys?: string[]
  /** `mf:LaxCardinality` (REDUCED): a solution may appear fewer times than expected, but at least once. */
  lax?: boolean
}

/** Search budget for the blank-node bijection; the suite's results are small, so this is never reached in practice. */
const MAX_STEPS = 2_000_000

/** Undefined when equal; otherwise a one-line reason. */
export function compareResults (expected: Results, actual: Results, options: CompareOptions = {}): string | undefined {
  if (expected.type !== actual.type) return `expected a ${expected.type} result, got a ${actual.type} result`
  if (expected.type === 'boolean' && actual.type === 'boolean') {
    return expected.value === actual.value ? undefined : `expected ${String(expected.value)}, got ${String(actual.value)}`
  }
  if (expected.type === 'graph' && actual.type === 'graph') {
    // A graph is a set of triples.
    const dedupe = (t: Term[][]): Term[][] => [...new Map(t.map((x) => [x.map(termKey).join(' '), x])).values()]
    return compareRows(dedupe(expected.triples), dedupe(actual.triples), {}, 'triple')
  }
  if (expected.type === 'solutions' && actual.type === 'solutions') {
    const ev = [...new Set(expected.vars)].sort()
    const av = [...new Set(actual.vars)].sort()
    if (ev.join(' ') !== av.join(' ')) return `variables differ: expected ?${ev.join(' ?')}, got ?${av.join(' ?')}`
    const toRow = (s: Solution): Term[] => ev.map((v) => s.get(v) ?? UNBOUND)
    for (const s of actual.rows) {
      for (const v of s.keys()) if (!ev.includes(v)) return `a solution binds ?${v}, which is not a result variable`
    }
    const keys = options.orderKeys
    if (options.ordered === true && keys !== undefined && keys.every((k) => ev.includes(k))) {
      // Ties: the rows as a multiset, then the key sequence (blank nodes as wildcards).
      const unordered = compareRows(expected.rows.map(toRow), actual.rows.map(toRow), { ...options, ordered: false }, 'solution')
      if (unordered !== undefined) return unordered
      const key = (s: Solution): string => keys.map((k) => { const t = s.get(k); return t === undefined ? '-' : t.type === 'bnode' ? '_' : termKey(t) }).join(' ')
      for (let i = 0; i < expected.rows.length; i++) {
        if (key(expected.rows[i]) !== key(actual.rows[i])) {
          return `same solutions in a different order: at #${i + 1} expected ORDER BY key (${key(expected.rows[i])}), got (${key(actual.rows[i])})`
        }
      }
      return undefined
    }
    return compareRows(expected.rows.map(toRow), actual.rows.map(toRow), options, 'solution')
  }
  return 'unreachable'
}

const UNBOUND: Term = { type: 'iri', value: '' }
const isUnbound = (t: Term): boolean => t === UNBOUND

function show (row: Term[]): string {
  return `(${row.map((t) => isUnbound(t) ? 'UNDEF' : termKey(t)).join(' ')})`
}

/** Row key with blank nodes blanked out: rows can only match rows of the same signature. */
const signature = (row: Term[]): string => row.map((t) => t.type === 'bnode' ? '_' : isUnbound(t) ? '-' : termKey(t)).join('\u0000')
const hasBnode = (row: Term[]): boolean => row.some((t) => t.type === 'bnode')

function compareRows (expected: Term[][], actual: Term[][], options: CompareOptions, what: string): string | undefined {
  if (options.lax === true) return compareLax(expected, actual, what)
  if (expected.length !== actual.length) return `expected ${expected.length} ${what}s, got ${actual.length}${firstDifference(expected, actual, what)}`
  if (options.ordered === true) {
    const map = new Bijection()
    for (let i = 0; i < expected.length; i++) {
      if (!map.unify(expected[i], actual[i])) {
        const unordered = compareRows(expected, actual, {}, what)
        return unordered === undefined
          ? `same ${what}s in a different order: at #${i + 1} expected ${show(expected[i])}, got ${show(actual[i])}`
          : unordered
      }
    }
    return undefined
  }
  // Multiset of signatures first: cheap, and gives a readable reason.
  const diff = firstDifference(expected, actual, what)
  if (diff !== '') return diff.replace(/^; /, '')
  if (!expected.some(hasBnode)) return undefined
  return isomorphic(expected, actual) ? undefined : `no blank-node mapping makes the ${what}s equal`
}

function firstDifference (expected: Term[][], actual: Term[][], what: string): string {
  const counts = new Map<string, { n: number, row: Term[] }>()
  for (const r of expected) {
    const k = signature(r)
    const c = counts.get(k)
    if (c === undefined) counts.set(k, { n: 1, row: r })
    else c.n++
  }
  for (const r of actual) {
    const k = signature(r)
    const c = counts.get(k)
    if (c === undefined || c.n === 0) return `; unexpected ${what} ${show(r)}`
    c.n--
  }
  for (const c of counts.values()) if (c.n > 0) return `; missing ${what} ${show(c.row)}`
  return ''
}

/** REDUCED: every actual row is an expected row, every expected row shows up at least once, never more often. */
function compareLax (expected: Term[][], actual: Term[][], what: string): string | undefined {
  if (expected.some(hasBnode) || actual.some(hasBnode)) throw new Error('lax cardinality with blank nodes is not supported')
  const count = (rows: Term[][]): Map<string, number> => {
    const m = new Map<string, number>()
    for (const r of rows) m.set(signature(r), (m.get(signature(r)) ?? 0) + 1)
    return m
  }
  const e = count(expected)
  const a = count(actual)
  for (const [k, n] of a) if ((e.get(k) ?? 0) < n) return `unexpected or too frequent ${what} ${k.replace(/\u0000/g, ' ')}`
  for (const k of e.keys()) if (!a.has(k)) return `missing ${what} ${k.replace(/\u0000/g, ' ')}`
  return undefined
}

/** A partial bijection between expected and actual blank labels. */
class Bijection {
  readonly forward = new Map<string, string>()
  readonly backward = new Map<string, string>()

  /** Extend the mapping so that the rows are equal; returns the labels added (for undo), or false. */
  tryUnify (e: Term[], a: Term[]): string[] | false {
    const added: string[] = []
    for (let i = 0; i < e.length; i++) {
      const x = e[i]
      const y = a[i]
      if (x.type !== 'bnode' || y.type !== 'bnode') {
        if (x.type === 'bnode' || y.type === 'bnode' || (isUnbound(x) !== isUnbound(y)) || (!isUnbound(x) && termKey(x) !== termKey(y))) {
          this.undo(added)
          return false
        }
        continue
      }
      const f = this.forward.get(x.value)
      const b = this.backward.get(y.value)
      if (f === undefined && b === undefined) {
        this.forward.set(x.value, y.value)
        this.backward.set(y.value, x.value)
        added.push(x.value)
      } else if (f !== y.value || b !== x.value) {
        this.undo(added)
        return false
      }
    }
    return added
  }

  unify (e: Term[], a: Term[]): boolean {
    return this.tryUnify(e, a) !== false
  }

  undo (added: string[]): void {
    for (const x of added) {
      this.backward.delete(this.forward.get(x) as string)
      this.forward.delete(x)
    }
  }
}

/** Backtracking search for one bijection of blank labels under which the row multisets are equal. */
function isomorphic (expected: Term[][], actual: Term[][]): boolean {
  const byKey = new Map<string, number[]>()
  actual.forEach((r, i) => {
    const k = signature(r)
    const list = byKey.get(k)
    if (list === undefined) byKey.set(k, [i])
    else list.push(i)
  })
  // Rows without blank nodes already matched by signature; order the rest by how constrained they are.
  const todo = expected.filter(hasBnode).sort((x, y) => (byKey.get(signature(x))?.length ?? 0) - (byKey.get(signature(y))?.length ?? 0))
  const used = new Set<number>()
  const map = new Bijection()
  let steps = 0
  const search = (k: number): boolean => {
    if (k === todo.length) return true
    if (++steps > MAX_STEPS) throw new Error('blank-node isomorphism search exceeded its budget')
    const row = todo[k]
    for (const i of byKey.get(signature(row)) ?? []) {
      if (used.has(i)) continue
      const added = map.tryUnify(row, actual[i])
      if (added === false) continue
      used.add(i)
      if (search(k + 1)) return true
      used.delete(i)
      map.undo(added)
    }
    return false
  }
  return search(0)
}
