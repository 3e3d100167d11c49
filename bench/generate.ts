/**
 * Seeded generator of schema.org-like knowledge assets for the publish benchmark: each asset is one entity with
 * exactly `triples` distinct triples, two of its nodes blank (a PostalAddress and an Offer), literals of several
 * kinds (plain, language-tagged, xsd:integer, xsd:decimal, xsd:date). Same seed and index → same asset.
 */

/** mulberry32: a tiny, fast, seedable PRNG (https://gist.github.com/tommyettinger/46a874533244883189143505d203312c). */
export function mulberry32 (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SCHEMA = 'http://schema.org/'
const XSD = 'http://www.w3.org/2001/XMLSchema#'
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type'
const WORDS = ['granite', 'harbor', 'lantern', 'meadow', 'quartz', 'river', 'summit', 'thistle', 'willow', 'ember', 'falcon',
  'glacier', 'juniper', 'kestrel', 'lichen', 'marble', 'nimbus', 'orchid', 'pebble', 'saffron', 'tundra', 'velvet', 'zephyr', 'cairn']
const TYPES = ['Product', 'Book', 'Event', 'Organization', 'Place', 'Movie', 'Recipe', 'SoftwareApplication']
const CITIES = ['Ljubljana', 'Porto', 'Tartu', 'Ghent', 'Bergen', 'Lyon', 'Graz', 'Turku', 'Leiden', 'Brno']
const LANGS = ['en', 'de', 'fr', 'sl', 'es']

/** One object position: an IRI, a blank node (index into the asset's blank nodes) or a literal. */
export type GenObject =
  | { kind: 'iri', value: string }
  | { kind: 'blank', node: number }
  | { kind: 'literal', value: string, datatype?: string, lang?: string }

export interface GenTriple {
  /** -1 = the asset's main entity; 0/1 = its blank nodes. */
  subject: number
  predicate: string
  object: GenObject
}

export interface GenAsset {
  index: number
  iri: string
  triples: GenTriple[]
}

function words (rand: () => number, n: number): string {
  const out: string[] = []
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)])
  return out.join(' ')
}

/** Asset `index` of the stream with `seed`; exactly `triples` distinct triples (≥ 20), 2 blank nodes. */
export function generateAsset (seed: number, index: number, triples = 50): GenAsset {
  if (triples < 20) throw new Error('generateAsset: at least 20 triples')
  const rand = mulberry32((seed * 0x9e3779b1) ^ index)
  const id = `${index.toString(36)}-${Math.floor(rand() * 2 ** 32).toString(36)}`
  const iri = `https://data.example.org/${TYPES[index % TYPES.length].toLowerCase()}/${id}`
  const t: GenTriple[] = []
  const main = (predicate: string, object: GenObject): void => { t.push({ subject: -1, predicate: SCHEMA + predicate, object }) }
  const lit = (value: string, datatype?: string, lang?: string): GenObject => ({ kind: 'literal', value, ...(datatype === undefined ? {} : { datatype }), ...(lang === undefined ? {} : { lang }) })
  t.push({ subject: -1, predicate: RDF_TYPE, object: { kind: 'iri', value: SCHEMA + TYPES[index % TYPES.length] } })
  main('name', lit(`${words(rand, 2)} ${index}`))
  main('identifier', lit(id))
  main('url', { kind: 'iri', value: `${iri}/page` })
  main('dateCreated', lit(`20${10 + Math.floor(rand() * 15)}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`, XSD + 'date'))
  main('address', { kind: 'blank', node: 0 })
  main('offers', { kind: 'blank', node: 1 })
  // Blank node 0: a PostalAddress (7 triples); blank node 1: an Offer (7 triples).
  const city = CITIES[Math.floor(rand() * CITIES.length)]
  const addr = (p: string, o: GenObject): void => { t.push({ subject: 0, predicate: SCHEMA + p, object: o }) }
  addr('streetAddress', lit(`${1 + Math.floor(rand() * 200)} ${words(rand, 1)} street`))
  t.push({ subject: 0, predicate: RDF_TYPE, object: { kind: 'iri', value: SCHEMA + 'PostalAddress' } })
  addr('addressLocality', lit(city))
  addr('postalCode', lit(String(10000 + Math.floor(rand() * 89999))))
  addr('addressCountry', { kind: 'iri', value: `https://data.example.org/country/${city.toLowerCase()}` })
  addr('addressRegion', lit(words(rand, 1)))
  addr('name', lit(`${city} office ${index}`))
  const offer = (p: string, o: GenObject): void => { t.push({ subject: 1, predicate: SCHEMA + p, object: o }) }
  t.push({ subject: 1, predicate: RDF_TYPE, object: { kind: 'iri', value: SCHEMA + 'Offer' } })
  offer('price', lit((rand() * 1000).toFixed(2), XSD + 'decimal'))
  offer('priceCurrency', lit('EUR'))
  offer('availability', { kind: 'iri', value: SCHEMA + 'InStock' })
  offer('validFrom', lit(`2025-0${1 + Math.floor(rand() * 9)}-0${1 + Math.floor(rand() * 9)}`, XSD + 'date'))
  offer('seller', { kind: 'iri', value: `https://data.example.org/organization/${Math.floor(rand() * 500)}` })
  offer('sku', lit(`SKU-${id}`))
  // The rest: descriptions in several languages, keywords, counts and links, all distinct.
  for (let k = 0; t.length < triples; k++) {
    switch (k % 5) {
      case 0: main('description', lit(`${words(rand, 6)} (${k})`, undefined, LANGS[k % LANGS.length])); break
      case 1: main('keywords', lit(`${words(rand, 1)}-${k}`)); break
      case 2: main('position', lit(String(k * 7 + Math.floor(rand() * 5)), XSD + 'integer')); break
      case 3: main('sameAs', { kind: 'iri', value: `https://other.example.net/${id}/${k}` }); break
      default: main('about', { kind: 'iri', value: `https://data.example.org/topic/${words(rand, 1)}-${k}` })
    }
  }
  return { index, iri, triples: t }
}

function literalText (o: Extract<GenObject, { kind: 'literal' }>): string {
  // Generated values hold no quote, backslash or newline, so no escaping is needed.
  const q = `"${o.value}"`
  if (o.lang !== undefined) return `${q}@${o.lang}`
  if (o.datatype !== undefined) return `${q}^^<${o.datatype}>`
  return q
}

/** Turtle with prefixes and `[ … ]` blank nodes, the way people write it. */
export function toTurtle (a: GenAsset): string {
  const term = (o: GenObject): string => {
    if (o.kind === 'iri') return o.value.startsWith(SCHEMA) ? `schema:${o.value.slice(SCHEMA.length)}` : `<${o.value}>`
    if (o.kind === 'literal') return o.datatype?.startsWith(XSD) === true ? `"${o.value}"^^xsd:${o.datatype.slice(XSD.length)}` : literalText(o)
    return blankNode(o.node)
  }
  const pred = (p: string): string => p === RDF_TYPE ? 'a' : `schema:${p.slice(SCHEMA.length)}`
  const props = (subject: number, indent: string): string => a.triples.filter((t) => t.subject === subject).map((t) => `${pred(t.predicate)} ${term(t.object)}`).join(` ;\n${indent}`)
  const blankNode = (n: number): string => `[\n        ${props(n, '        ')}\n    ]`
  return `@prefix schema: <${SCHEMA}> .\n@prefix xsd: <${XSD}> .\n\n<${a.iri}>\n    ${props(-1, '    ')} .\n`
}

/** N-Quads lines of the asset in graph `graph` (blank node labels made unique per asset within a document). */
export function toNQuads (a: GenAsset, graph: string): string {
  const node = (s: number): string => s === -1 ? `<${a.iri}>` : `_:a${a.index}b${s}`
  const obj = (o: GenObject): string => o.kind === 'iri' ? `<${o.value}>` : o.kind === 'blank' ? node(o.node) : literalText(o)
  return a.triples.map((t) => `${node(t.subject)} <${t.predicate}> ${obj(t.object)} <${graph}> .\n`).join('')
}
