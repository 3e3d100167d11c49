/**
 * `get_schema`: what is in the graph, so an agent writes SPARQL with the right IRIs (as Neo4j's MCP server offers
 * its schema). Computed with SPARQL aggregate queries on the engine (each with a LIMIT), over the default graph (the
 * current versions), and cached per commit sequence: the answer only changes when something is published.
 */
import { isCairnError } from '../errors.js'
import type { SparqlEngine } from '../sparql/index.js'
import { CAIRN, PROV, PROVENANCE_GRAPH } from '../sparql/index.js'
import { GENID_PATH, jsonTermToNTriples } from '../rdf/index.js'
import type { JsonTerm } from '../rdf/index.js'
import { SCHEMA_EXAMPLE_CHARS, SCHEMA_MAX_BREAKDOWN_ROWS, SCHEMA_MAX_CLASSES, SCHEMA_MAX_PREDICATES } from './constants.js'

const XSD = 'http://www.w3.org/2001/XMLSchema#'

/** Namespaces offered as prefixes when some class or predicate uses them (plus the ones every query may need). */
const KNOWN_PREFIXES: Record<string, string> = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: XSD,
  owl: 'http://www.w3.org/2002/07/owl#',
  schema: 'https://schema.org/',
  schemahttp: 'http://schema.org/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  dcterms: 'http://purl.org/dc/terms/',
  dc: 'http://purl.org/dc/elements/1.1/',
  geo: 'http://www.w3.org/2003/01/geo/wgs84_pos#',
  wd: 'http://www.wikidata.org/entity/',
  wdt: 'http://www.wikidata.org/prop/direct/',
  cairn: CAIRN,
  prov: PROV
}
const ALWAYS = ['rdf', 'rdfs', 'xsd', 'cairn', 'prov']

export interface ClassSummary {
  class: string
  instances: number
  /** Up to three instance IRIs. */
  examples: string[]
}

export interface PredicateSummary {
  predicate: string
  triples: number
  subjects: number
  /** What its objects are, most frequent first: IRIs, blank nodes (skolem IRIs here) or literals by datatype. */
  objects: Array<{ kind: 'iri' | 'blank node' | 'literal', datatype?: string, count: number }>
  /** Up to three example objects in N-Triples notation (long literals shortened with …). */
  examples: string[]
  /** Classes of its subjects and objects, most frequent first (up to 5 each). */
  subjectClasses: Array<{ class: string, count: number }>
  objectClasses: Array<{ class: string, count: number }>
}

export interface SchemaSummary {
  /** Commit sequence the summary was computed at (it is recomputed after the next publish). */
  seq: number
  graphs: Array<{ graph: string, holds: string }>
  prefixes: Record<string, string>
  classes: ClassSummary[]
  predicates: PredicateSummary[]
  /** True when more classes / predicates exist than are listed (the least used are left out). */
  more: { classes: boolean, predicates: boolean }
  provenance: { graph: string, vocabulary: string, terms: string[], example: string }
  notes: string[]
  truncated: boolean
}

interface Rows { rows: Array<Record<string, JsonTerm | undefined>>, truncated: boolean }

/** Run the aggregate queries and assemble the summary; a query that times out leaves a note, not an error. */
export async function summarizeSchema (sparql: SparqlEngine, seq: number, timeoutMs: number): Promise<SchemaSummary> {
  const notes: string[] = []
  let truncated = false
  const select = async (name: string, query: string, maxRows: number): Promise<Rows> => {
    try {
      const result = await sparql.query(query, { format: 'json', timeoutMs, maxRows })
      const doc = JSON.parse(result.body) as { results?: { bindings?: Array<Record<string, JsonTerm>> } }
      if (result.truncated) truncated = true
      return { rows: doc.results?.bindings ?? [], truncated: result.truncated }
    } catch (err) {
      if (!isCairnError(err, 'SPARQL_TIMEOUT')) throw err
      notes.push(`${name}: the aggregate query timed out on this store (${timeoutMs} ms); ask sparql_query for what you need with a narrower pattern`)
      truncated = true
      return { rows: [], truncated: true }
    }
  }
  const int = (t: JsonTerm | undefined): number => Number(t?.value ?? 0)
  const str = (t: JsonTerm | undefined): string | undefined => t === undefined ? undefined : String(t.value)

  // Three examples per group from one pass: SAMPLE plus the smallest and largest value.
  const [classRows, predicateRows, kindRows, subjectClassRows, objectClassRows] = await Promise.all([
    select('classes', `SELECT ?class (COUNT(DISTINCT ?s) AS ?n) (SAMPLE(?s) AS ?e1) (MIN(STR(?s)) AS ?e2) (MAX(STR(?s)) AS ?e3)
WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) ?class LIMIT ${SCHEMA_MAX_CLASSES + 1}`, SCHEMA_MAX_CLASSES + 1),
    select('predicates', `SELECT ?p (COUNT(*) AS ?n) (COUNT(DISTINCT ?s) AS ?subjects) (SAMPLE(?o) AS ?e1) (MIN(?o) AS ?e2) (MAX(?o) AS ?e3)
WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) ?p LIMIT ${SCHEMA_MAX_PREDICATES + 1}`, SCHEMA_MAX_PREDICATES + 1),
    select('object kinds', `SELECT ?p ?kind (COUNT(*) AS ?n)
WHERE { ?s ?p ?o BIND(IF(isIRI(?o), IF(CONTAINS(STR(?o), "${GENID_PATH}"), "blank node", "iri"), STR(DATATYPE(?o))) AS ?kind) }
GROUP BY ?p ?kind ORDER BY ?p DESC(?n) LIMIT ${SCHEMA_MAX_BREAKDOWN_ROWS}`, SCHEMA_MAX_BREAKDOWN_ROWS),
    select('subject classes', `SELECT ?p ?class (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?s a ?class }
GROUP BY ?p ?class ORDER BY ?p DESC(?n) LIMIT ${SCHEMA_MAX_BREAKDOWN_ROWS}`, SCHEMA_MAX_BREAKDOWN_ROWS),
    select('object classes', `SELECT ?p ?class (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?o a ?class }
GROUP BY ?p ?class ORDER BY ?p DESC(?n) LIMIT ${SCHEMA_MAX_BREAKDOWN_ROWS}`, SCHEMA_MAX_BREAKDOWN_ROWS)
  ])

  const classes = classRows.rows.slice(0, SCHEMA_MAX_CLASSES).map((r) => ({
    class: str(r.class) ?? '',
    instances: int(r.n),
    examples: unique([str(r.e1), str(r.e2), str(r.e3)])
  }))
  const grouped = (rows: Rows['rows']): Map<string, Array<{ class: string, count: number }>> => {
    const out = new Map<string, Array<{ class: string, count: number }>>()
    for (const r of rows) {
      const p = str(r.p) ?? ''
      const list = out.get(p) ?? []
      if (list.length < 5) list.push({ class: str(r.class) ?? '', count: int(r.n) })
      out.set(p, list)
    }
    return out
  }
  const subjectClasses = grouped(subjectClassRows.rows)
  const objectClasses = grouped(objectClassRows.rows)
  const kinds = new Map<string, PredicateSummary['objects']>()
  for (const r of kindRows.rows) {
    const p = str(r.p) ?? ''
    const kind = str(r.kind) ?? ''
    const list = kinds.get(p) ?? []
    list.push(kind === 'iri' || kind === 'blank node' ? { kind, count: int(r.n) } : { kind: 'literal', datatype: kind, count: int(r.n) })
    kinds.set(p, list)
  }
  const predicates = predicateRows.rows.slice(0, SCHEMA_MAX_PREDICATES).map((r) => {
    const p = str(r.p) ?? ''
    return {
      predicate: p,
      triples: int(r.n),
      subjects: int(r.subjects),
      objects: kinds.get(p) ?? [],
      examples: unique([r.e1, r.e2, r.e3].filter((t): t is JsonTerm => t !== undefined).map(example)),
      subjectClasses: subjectClasses.get(p) ?? [],
      objectClasses: objectClasses.get(p) ?? []
    }
  })
  const more = { classes: classRows.rows.length > SCHEMA_MAX_CLASSES, predicates: predicateRows.rows.length > SCHEMA_MAX_PREDICATES }
  if (more.classes || more.predicates) {
    truncated = true
    notes.push(`only the ${SCHEMA_MAX_CLASSES} most used classes and ${SCHEMA_MAX_PREDICATES} most used predicates are listed; find others with sparql_query`)
  }
  if (classes.length === 0 && predicates.length === 0 && notes.length === 0) notes.push('the graph is empty: nothing is published on this node yet')

  const used = new Set([...classes.map((c) => c.class), ...predicates.map((p) => p.predicate)])
  const prefixes = Object.fromEntries(Object.entries(KNOWN_PREFIXES).filter(([name, ns]) =>
    ALWAYS.includes(name) || [...used].some((iri) => iri.startsWith(ns))))

  return {
    seq,
    graphs: [
      { graph: 'default graph', holds: 'the union of the current versions of all knowledge assets; blank nodes appear as skolem IRIs (<…/.well-known/genid/c14nN>)' },
      { graph: '<UAL/vN> (e.g. <did:cairn:local/5F…/a1cd…/v2>)', holds: 'the triples of version N of an asset: every version, current or not (GRAPH ?g { … })' },
      { graph: `<${PROVENANCE_GRAPH}>`, holds: 'who published each asset version, when, its merkle root, signature and anchor (vocabulary below)' }
    ],
    prefixes,
    classes,
    predicates,
    more,
    provenance: {
      graph: PROVENANCE_GRAPH,
      vocabulary: CAIRN,
      terms: [
        'cairn:KnowledgeAsset', 'cairn:AssetVersion', 'cairn:Publisher', 'cairn:currentVersion', 'cairn:asset', 'cairn:versionNumber',
        'cairn:merkleRoot', 'cairn:previousRoot', 'cairn:signature', 'cairn:tripleCount', 'cairn:publisher', 'cairn:address',
        'cairn:sourceGraph', 'cairn:anchorType', 'cairn:ledger', 'cairn:ledgerHeight', 'cairn:ledgerEntryHash',
        'prov:generatedAtTime', 'prov:wasRevisionOf'
      ],
      example: `PREFIX cairn: <${CAIRN}>
PREFIX prov: <${PROV}>
SELECT ?asset ?publisher ?time WHERE {
  GRAPH ?v { ?s ?p ?o }
  GRAPH <${PROVENANCE_GRAPH}> { ?asset cairn:currentVersion ?v . ?v cairn:publisher/cairn:address ?publisher ; prov:generatedAtTime ?time }
} LIMIT 10`
    },
    notes,
    truncated
  }
}

function example (t: JsonTerm): string {
  if (t.type === 'literal' && typeof t.value === 'string' && t.value.length > SCHEMA_EXAMPLE_CHARS) {
    return jsonTermToNTriples({ ...t, value: t.value.slice(0, SCHEMA_EXAMPLE_CHARS) + '…' })
  }
  return jsonTermToNTriples(t)
}

function unique (values: Array<string | undefined>): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined && v !== ''))]
}

/** Recompute only when the commit sequence moved; concurrent callers share one computation. */
export function createSchemaCache (compute: (seq: number) => Promise<SchemaSummary>): (seq: number) => Promise<SchemaSummary> {
  let cached: { seq: number, summary: Promise<SchemaSummary> } | undefined
  return async (seq) => {
    if (cached?.seq !== seq) {
      const summary = compute(seq)
      cached = { seq, summary }
      // A failed computation is not cached: the next call retries.
      summary.catch(() => { if (cached?.summary === summary) cached = undefined })
    }
    return await cached.summary
  }
}
