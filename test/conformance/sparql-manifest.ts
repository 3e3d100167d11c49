/**
 * W3C SPARQL test manifests (rdf-tests/sparql/{sparql10,sparql11}) read with n3: the top manifest's `mf:include`
 * list, then each included manifest's `mf:entries`. Manifest IRIs (https://w3c.github.io/rdf-tests/sparql/…) map to
 * the read-only copy in shared/w3c beside the repository.
 */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Parser } from 'n3'
import type { Quad, Term } from '@rdfjs/types'

/** The read-only suite copy: `shared/` sits beside the repository (CI checks it out there). */
export const SUITE_DIR = new URL('../../../shared/w3c/rdf-tests/sparql/', import.meta.url)
/** Where the manifests say the suite lives; every action file IRI starts with it. */
export const SUITE_IRI = 'https://w3c.github.io/rdf-tests/sparql/'

export type Suite = 'sparql10' | 'sparql11'

/** The top manifest of each suite: sparql11's lists every group (query, update, results, federation, protocols…). */
export const TOP_MANIFESTS: Readonly<Record<Suite, string>> = {
  sparql11: 'sparql11/manifest-all.ttl',
  sparql10: 'sparql10/manifest.ttl'
}

const MF = 'http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#'
const QT = 'http://www.w3.org/2001/sw/DataAccess/tests/test-query#'
const DAWGT = 'http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#'
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#'
const RDFS = 'http://www.w3.org/2000/01/rdf-schema#'
const SD = 'http://www.w3.org/ns/sparql-service-description#'

export type TestKind =
  | 'QueryEvaluationTest' | 'CSVResultFormatTest'
  | 'PositiveSyntaxTest' | 'NegativeSyntaxTest' | 'PositiveSyntaxTest11' | 'NegativeSyntaxTest11'
  | 'PositiveUpdateSyntaxTest11' | 'NegativeUpdateSyntaxTest11' | 'UpdateEvaluationTest'
  | 'ProtocolTest' | 'GraphStoreProtocolTest' | 'ServiceDescriptionTest'

export interface GraphFile {
  /** The graph name (named graphs) — the file's manifest IRI unless the manifest gives `qt:graph`. */
  name: string
  /** The file's manifest IRI (also the base IRI for its relative IRIs). */
  file: string
}

export interface TestCase {
  /** The test IRI, as the manifest writes it (the key of the baseline and the skip list). */
  id: string
  name: string
  suite: Suite
  /** Group folder, e.g. `aggregates`, `syntax-sparql1`. */
  folder: string
  kind: TestKind
  /** `dawgt:approval` value (`Approved`, `Proposed`, `NotApproved`, `Deprecated`), undefined when absent. */
  approval: string | undefined
  /** True when counted: Approved, or the manifest carries no approval data at all. */
  counted: boolean
  /** Query file IRI (evaluation: qt:query; syntax: mf:action). */
  query: string | undefined
  data: string[]
  graphData: GraphFile[]
  result: string | undefined
  /** Entailment regime, SERVICE data, `mf:requires`, lax cardinality: things that decide skips or comparison. */
  entailment: boolean
  serviceData: boolean
  laxCardinality: boolean
}

/** The manifest IRI `https://w3c.github.io/rdf-tests/sparql/x` → the local file URL. */
export function localUrl (iri: string): URL {
  if (!iri.startsWith(SUITE_IRI)) throw new Error(`${iri} is outside the SPARQL suite (${SUITE_IRI})`)
  return new URL(iri.slice(SUITE_IRI.length), SUITE_DIR)
}

export function readSuiteFile (iri: string): string {
  return readFileSync(localUrl(iri), 'utf8')
}

export function suitePresent (): boolean {
  return existsSync(fileURLToPath(new URL(TOP_MANIFESTS.sparql11, SUITE_DIR))) && existsSync(fileURLToPath(new URL(TOP_MANIFESTS.sparql10, SUITE_DIR)))
}

class Graph {
  private readonly bySubject = new Map<string, Quad[]>()

  constructor (quads: Quad[]) {
    for (const q of quads) {
      const key = termKey(q.subject)
      const list = this.bySubject.get(key)
      if (list === undefined) this.bySubject.set(key, [q])
      else list.push(q)
    }
  }

  objects (subject: Term, predicate: string): Term[] {
    return (this.bySubject.get(termKey(subject)) ?? []).filter((q) => q.predicate.value === predicate).map((q) => q.object)
  }

  one (subject: Term, predicate: string): Term | undefined {
    return this.objects(subject, predicate)[0]
  }

  /** An RDF collection (rdf:first/rdf:rest) starting at `head`. */
  list (head: Term | undefined): Term[] {
    const out: Term[] = []
    let node = head
    while (node !== undefined && node.value !== `${RDF}nil`) {
      const first = this.one(node, `${RDF}first`)
      if (first !== undefined) out.push(first)
      node = this.one(node, `${RDF}rest`)
    }
    return out
  }

  subjectsWith (predicate: string): Term[] {
    const out: Term[] = []
    for (const quads of this.bySubject.values()) {
      const q = quads.find((x) => x.predicate.value === predicate)
      if (q !== undefined) out.push(q.subject)
    }
    return out
  }
}

const termKey = (t: Term): string => `${t.termType}:${t.value}`

function parseManifest (iri: string): Graph {
  return new Graph(new Parser({ baseIRI: iri }).parse(readSuiteFile(iri)))
}

/** Every test of one suite, in manifest order. */
export function loadSuite (suite: Suite): TestCase[] {
  const top = SUITE_IRI + TOP_MANIFESTS[suite]
  return loadManifest(suite, top, true)
}

/** A manifest's entries, then those of the manifests it includes (the top one only includes). */
function loadManifest (suite: Suite, iri: string, top = false): TestCase[] {
  const g = parseManifest(iri)
  const includes = g.subjectsWith(`${MF}include`).flatMap((m) => g.list(g.one(m, `${MF}include`)).map((t) => t.value))
  const included = includes.flatMap((m) => loadManifest(suite, m))
  if (top) return included
  const folder = iri.slice(SUITE_IRI.length + suite.length + 1).split('/')[0]
  const root = g.subjectsWith(`${MF}entries`)[0]
  if (root === undefined) return included
  const entries = g.list(g.one(root, `${MF}entries`))
  const hasApprovals = entries.some((e) => g.one(e, `${DAWGT}approval`) !== undefined)
  return [...entries.map((entry): TestCase => {
    const type = g.one(entry, `${RDF}type`)?.value
    // DAWG convention: an entry without a type is a query evaluation test.
    const kind = (type === undefined ? 'QueryEvaluationTest' : type.replace(MF, '')) as TestKind
    const approval = g.one(entry, `${DAWGT}approval`)?.value.replace(DAWGT, '')
    const action = g.one(entry, `${MF}action`)
    const isNode = action !== undefined && action.termType === 'BlankNode'
    const query = isNode ? g.one(action, `${QT}query`)?.value : action?.value
    const graphData = isNode
      ? g.objects(action, `${QT}graphData`).map((t): GraphFile => {
        if (t.termType !== 'BlankNode') return { name: t.value, file: t.value }
        const file = g.one(t, `${QT}graph`)?.value ?? ''
        return { name: g.one(t, `${RDFS}label`)?.value ?? file, file }
      })
      : []
    return {
      id: entry.value,
      name: g.one(entry, `${MF}name`)?.value ?? entry.value,
      suite,
      folder,
      kind,
      approval,
      counted: hasApprovals ? approval === 'Approved' : true,
      query,
      data: isNode ? g.objects(action, `${QT}data`).map((t) => t.value) : [],
      graphData,
      result: g.one(entry, `${MF}result`)?.value,
      entailment: isNode && g.one(action, `${SD}entailmentRegime`) !== undefined,
      serviceData: isNode && g.one(action, `${QT}serviceData`) !== undefined,
      laxCardinality: g.one(entry, `${MF}resultCardinality`)?.value === `${MF}LaxCardinality`
    }
  }), ...included]
}
