import express, { Router } from 'express'
import type { Request, Response } from 'express'
import { CairnError } from '../../errors.js'
import { parseRdf, serializeQuads } from '../../rdf/index.js'
import type { RdfFormat } from '../../rdf/index.js'
import { PROVENANCE_GRAPH, inspectQuery } from '../../sparql/index.js'
import type { QueryResult, SolutionsFormat, SparqlEngine } from '../../sparql/index.js'
import { keepRawBody } from '../response-signing.js'

/** Media types of SPARQL results, first = default (SPARQL 1.1 Protocol §2.1, Query Results JSON/XML/CSV/TSV). */
const SOLUTION_TYPES: Record<string, SolutionsFormat> = {
  'application/sparql-results+json': 'json',
  'application/sparql-results+xml': 'xml',
  'text/csv': 'csv',
  'text/tab-separated-values': 'tsv',
  'application/json': 'json',
  'application/xml': 'xml',
  'text/xml': 'xml'
}
const SOLUTION_CONTENT_TYPE: Record<SolutionsFormat, string> = {
  json: 'application/sparql-results+json',
  xml: 'application/sparql-results+xml',
  csv: 'text/csv; charset=utf-8',
  tsv: 'text/tab-separated-values; charset=utf-8'
}
const GRAPH_TYPES: Record<string, RdfFormat> = {
  'text/turtle': 'turtle',
  'application/n-triples': 'ntriples',
  'application/n-quads': 'nquads',
  'application/ld+json': 'jsonld',
  'application/trig': 'trig',
  'application/json': 'jsonld'
}
const GRAPH_CONTENT_TYPE: Record<RdfFormat, string> = {
  turtle: 'text/turtle; charset=utf-8',
  ntriples: 'application/n-triples',
  nquads: 'application/n-quads',
  jsonld: 'application/ld+json',
  trig: 'application/trig'
}
/** `format=` shortcuts for clients that cannot set Accept. */
const FORMAT_PARAM: Record<string, SolutionsFormat | RdfFormat> = {
  json: 'json', xml: 'xml', csv: 'csv', tsv: 'tsv', turtle: 'turtle', ntriples: 'ntriples', nquads: 'nquads', jsonld: 'jsonld'
}

export interface SparqlRouterComponents {
  engine: SparqlEngine
  bodyLimit: number
}

/** The SPARQL 1.1 Protocol at /sparql: query via GET or POST, results by content negotiation, no updates. */
export function createSparqlRouter ({ engine, bodyLimit }: SparqlRouterComponents): Router {
  const router = Router()
  const form = express.urlencoded({ extended: false, limit: bodyLimit, parameterLimit: 1000, verify: keepRawBody })
  const direct = express.text({ type: ['application/sparql-query', 'application/sparql-update'], limit: bodyLimit, verify: keepRawBody })

  const handle = async (req: Request, res: Response, query: string | undefined): Promise<void> => {
    if (query === undefined) {
      serviceDescription(req, res)
      return
    }
    const info = inspectQuery(query)
    const isGraph = info.form === 'CONSTRUCT' || info.form === 'DESCRIBE'
    const format = negotiate(req, isGraph)
    const result = await engine.query(query, {
      format: isGraph ? 'json' : format as SolutionsFormat,
      ...graphList(req, 'default-graph-uri', 'defaultGraphUris'),
      ...graphList(req, 'named-graph-uri', 'namedGraphUris'),
      ...timeoutParam(req)
    })
    await send(res, result, format, isGraph)
  }

  router.get('/sparql', async (req, res) => {
    await handle(req, res, stringParam(req.query.query, 'query'))
  })

  router.post('/sparql', form, direct, async (req, res) => {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
    if (type === 'application/sparql-update' || (type === 'application/x-www-form-urlencoded' && (req.body as Record<string, unknown>)?.update !== undefined)) {
      throw new CairnError('SPARQL_UPDATE_REFUSED', 'SPARQL UPDATE is refused: this endpoint is read-only; publish or update knowledge assets instead (POST /assets)')
    }
    if (type === 'application/sparql-query') {
      await handle(req, res, typeof req.body === 'string' ? req.body : '')
      return
    }
    if (type === 'application/x-www-form-urlencoded') {
      const query = stringParam((req.body as Record<string, unknown>).query, 'query')
      if (query === undefined) throw new CairnError('API_BAD_REQUEST', 'SPARQL: a POST form needs a `query` parameter')
      await handle(req, res, query)
      return
    }
    throw new CairnError('API_UNSUPPORTED_MEDIA_TYPE', 'SPARQL: POST application/sparql-query or application/x-www-form-urlencoded (query=…)')
  })

  return router
}

function stringParam (value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new CairnError('API_BAD_REQUEST', `SPARQL: give exactly one \`${name}\` parameter`)
  return value
}

/** Protocol graph parameters may repeat; from the URL (GET) or the form body (POST). */
function graphList<K extends string> (req: Request, name: string, key: K): Partial<Record<K, string[]>> {
  const body = typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>)[name] : undefined
  const raw = [req.query[name], body].flat().filter((v) => v !== undefined)
  if (raw.length === 0) return {}
  for (const v of raw) {
    if (typeof v !== 'string' || !/^[A-Za-z][A-Za-z0-9+.-]*:\S*$/.test(v)) {
      throw new CairnError('API_BAD_REQUEST', `SPARQL: ${name} must be an absolute IRI, got ${JSON.stringify(v)}`, { details: { parameter: name } })
    }
  }
  return { [key]: raw as string[] } as Record<K, string[]>
}

function timeoutParam (req: Request): { timeoutMs?: number } {
  const raw = req.query.timeout ?? (req.body as Record<string, unknown> | undefined)?.timeout
  if (raw === undefined) return {}
  if (typeof raw !== 'string' || !/^[1-9]\d{0,8}$/.test(raw)) {
    throw new CairnError('API_BAD_REQUEST', 'SPARQL: timeout is a whole number of milliseconds (it can only lower the server limit)', { details: { parameter: 'timeout' } })
  }
  return { timeoutMs: Number(raw) }
}

function negotiate (req: Request, isGraph: boolean): SolutionsFormat | RdfFormat {
  const explicit = req.query.format
  if (typeof explicit === 'string') {
    const f = FORMAT_PARAM[explicit]
    const fits = f !== undefined && (isGraph ? f in GRAPH_CONTENT_TYPE : f in SOLUTION_CONTENT_TYPE)
    if (!fits) throw new CairnError('API_NOT_ACCEPTABLE', `SPARQL: format=${explicit} does not fit a ${isGraph ? 'graph' : 'solutions'} result`)
    return f
  }
  const table: Record<string, SolutionsFormat | RdfFormat> = isGraph ? GRAPH_TYPES : SOLUTION_TYPES
  const match = req.accepts(Object.keys(table))
  if (match === false) {
    throw new CairnError('API_NOT_ACCEPTABLE', `SPARQL: cannot answer ${req.headers.accept ?? ''} for this query; use one of ${Object.keys(table).join(', ')}`)
  }
  return table[match]
}

async function send (res: Response, result: QueryResult, format: SolutionsFormat | RdfFormat, isGraph: boolean): Promise<void> {
  res.set('Cairn-Rows', String(result.rows))
  res.set('Cairn-Truncated', String(result.truncated))
  if (!isGraph) {
    res.type(SOLUTION_CONTENT_TYPE[format as SolutionsFormat]).send(result.body)
    return
  }
  const rdf = format as RdfFormat
  if (rdf === 'ntriples' || rdf === 'nquads') {
    res.type(GRAPH_CONTENT_TYPE[rdf]).send(result.body)
    return
  }
  const quads = await parseRdf(result.body, { format: 'ntriples' })
  res.type(GRAPH_CONTENT_TYPE[rdf]).send(await serializeQuads(quads, rdf))
}

function serviceDescription (req: Request, res: Response): void {
  const endpoint = `${req.protocol}://${req.get('host') ?? '127.0.0.1'}${req.baseUrl}/sparql`
  const formats = ['SPARQL_Results_JSON', 'SPARQL_Results_XML', 'SPARQL_Results_CSV', 'SPARQL_Results_TSV', 'Turtle', 'N-Triples', 'N-Quads', 'JSON-LD']
  res.type('text/turtle; charset=utf-8').send(`@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix fmt: <http://www.w3.org/ns/formats/> .

[] a sd:Service ;
  sd:endpoint <${endpoint}> ;
  sd:supportedLanguage sd:SPARQL11Query ;
  sd:resultFormat ${formats.map((f) => `fmt:${f}`).join(', ')} ;
  sd:defaultDataset [
    a sd:Dataset ;
    # The default graph is the union of the current versions of all knowledge assets.
    sd:defaultGraph [ a sd:Graph ] ;
    sd:namedGraph [ a sd:NamedGraph ; sd:name <${PROVENANCE_GRAPH}> ]
  ] .
`)
}
