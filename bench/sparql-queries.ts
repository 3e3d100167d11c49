/**
 * The query mix of the SPARQL benchmark. Queries that name one entity take it from a seeded list, so run k of a
 * query is the same text on every engine; the others are fixed. All results stay under Cairn's 10,000-row cap.
 */
import { mulberry32 } from './generate.js'
import { VOCAB, entityIri } from './sparql-data.js'

const PREFIXES = `PREFIX schema: <http://schema.org/>
PREFIX cairn: <https://w3id.org/cairn/vocab#>
PREFIX prov: <http://www.w3.org/ns/prov#>
`

export interface MixQuery {
  name: string
  /** What it exercises. */
  note: string
  /** The text of run k (k = 0 … runs-1). */
  text: (k: number) => string
}

/**
 * @param graphOf the named graph (version IRI) of asset i, for the single-graph query.
 */
export function queryMix (seed: number, assets: number, graphOf: (i: number) => string): MixQuery[] {
  const rand = mulberry32(seed ^ 0x5bd1e995)
  const subjects = Array.from({ length: 256 }, () => Math.floor(rand() * assets))
  const at = (k: number): number => subjects[k % subjects.length]
  const [w1, w2] = [VOCAB[7], VOCAB[48]]
  return [
    {
      name: 'subject lookup',
      note: 'all triples of one entity (90 rows)',
      text: (k) => `SELECT ?p ?o WHERE { <${entityIri(at(k))}> ?p ?o }`
    },
    {
      name: 'star + filter',
      note: '5-pattern star over the 1,250 books, numeric FILTER',
      text: () => `${PREFIXES}SELECT ?s ?name ?date ?rating WHERE {
  ?s a schema:Book ; schema:name ?name ; schema:dateCreated ?date ; schema:ratingValue ?rating ; schema:position ?pos .
  FILTER(?pos >= 950 && ?rating > 2.5)
}`
    },
    {
      name: '3-hop chain',
      note: 'person -knows-> ? -memberOf-> ? -location-> ? (~2,500 rows)',
      text: () => `${PREFIXES}SELECT ?a ?b ?c ?d WHERE {
  ?a a schema:Person ; schema:knows ?b . ?b schema:memberOf ?c . ?c schema:location ?d .
}`
    },
    {
      name: 'count/group all',
      note: 'GROUP BY predicate over the whole default graph',
      text: () => 'SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) ?p'
    },
    {
      name: 'OPTIONAL',
      note: 'organizations with name and, for half, an email (1,250 rows)',
      text: () => `${PREFIXES}SELECT ?s ?name ?email WHERE {
  ?s a schema:Organization ; schema:name ?name . OPTIONAL { ?s schema:email ?email }
}`
    },
    {
      name: 'one named graph',
      note: 'GRAPH <UAL/v1> { ?s ?p ?o } (100 rows)',
      text: (k) => `SELECT ?s ?p ?o WHERE { GRAPH <${graphOf(at(k))}> { ?s ?p ?o } }`
    },
    {
      name: 'CONTAINS text',
      note: `descriptions containing "${w1} ${w2}" (scan of ~130,000 literals)`,
      text: () => `${PREFIXES}SELECT ?s ?d WHERE { ?s schema:description ?d FILTER(CONTAINS(?d, "${w1} ${w2}")) }`
    },
    {
      name: 'provenance join',
      note: 'who published the current version stating a name, and when',
      text: (k) => `${PREFIXES}SELECT ?asset ?publisher ?time WHERE {
  GRAPH ?v { <${entityIri(at(k))}> schema:name ?name }
  GRAPH <urn:cairn:provenance> {
    ?asset cairn:currentVersion ?v .
    ?v cairn:publisher/cairn:address ?publisher ; prov:generatedAtTime ?time .
  }
}`
    }
  ]
}
