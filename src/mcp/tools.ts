/**
 * The MCP tools: names, descriptions written for a model to choose well, zod input schemas (listed as JSON Schema)
 * and implementations over the node's services. Every tool is read-only except `publish`, which exists only when
 * the operator enables it. Results are bounded (`maxResultBytes`, `truncated: true`); every citation served is
 * recorded in the contribution ledger with interface 'mcp'.
 */
import { DataFactory } from 'n3'
import { z } from 'zod'
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js'
import type { AssetService, PublishResult, Signer } from '../asset/index.js'
import { parseUal, prepareGraphs, signVersion } from '../asset/index.js'
import { CairnError, isCairnError } from '../errors.js'
import type { Network } from '../network/index.js'
import type { Citation } from '../proof/index.js'
import { verifyCitation } from '../proof/index.js'
import type { ContributionLedger, RetrieveResponse, Retriever } from '../rag/index.js'
// The retriever's own caps and vocabulary, so the tool accepts what the retriever accepts and labels as it does.
import {
  DEFAULT_MAX_CHARS, DEFAULT_MAX_FACTS, LABEL_PREDICATES, MAX_CHARS, MAX_FACTS, MAX_QUESTION_CHARS, MIN_CHARS, RDF_TYPE
} from '../rag/constants.js'
import { jsonTermToNTriples, serializeQuads, termToNTriples } from '../rdf/index.js'
import type { JsonTerm, RdfFormat } from '../rdf/index.js'
import { inspectQuery, publisherIri } from '../sparql/index.js'
import type { SparqlEngine } from '../sparql/index.js'
import type { AssetStore, EntityHitKey, FactKey, FactRecord, VersionRecord } from '../store/index.js'
import {
  DEFAULT_ASSET_TRIPLES, DEFAULT_ENTITY_FACTS, DEFAULT_SEARCH_LIMIT, MAX_ASSET_TRIPLES, MAX_ENTITY_FACTS, MAX_QUERY_CHARS,
  MAX_RETRIEVE_ENTITIES, MAX_SEARCH_LIMIT
} from './constants.js'
import { decodeCursor, encodeCursor, fitItems } from './format.js'
import type { ToolValue } from './format.js'
import type { SchemaSummary } from './schema-summary.js'

/** What a tool call knows about its request. */
export interface ToolContext {
  /** Hash of the HTTP request that carried the call (docs/api.md#signed-responses), recorded with its citations. */
  requestHash: string
  /** The request carried the node API token (needed by `publish`). */
  authorized: boolean
}

export interface ToolDefinition {
  name: string
  title: string
  description: string
  input: z.ZodObject
  annotations: ToolAnnotations
  run: (args: unknown, ctx: ToolContext) => Promise<ToolValue>
}

export interface ToolsInit {
  /** Network name (UALs minted by `publish` with a client key). */
  network: string
  maxResultBytes: number
  sparqlMaxRows: number
  sparqlTimeoutMs: number
  /** Offer `publish`. */
  publish: boolean
}

export interface ToolsComponents {
  store: AssetStore
  assets: AssetService
  sparql: SparqlEngine
  retriever?: Retriever
  contributions?: ContributionLedger
  network?: Network
  /** Signs what `publish` publishes; absent: the node's own key signs (as a raw-RDF REST publish does). */
  publishSigner?: Signer
  /** get_schema's summary for a commit sequence (cached by the caller). */
  schema: (seq: number) => Promise<SchemaSummary>
}

function tool<S extends z.ZodObject> (def: Omit<ToolDefinition, 'input' | 'run'> & { input: S, run: (args: z.output<S>, ctx: ToolContext) => Promise<ToolValue> }): ToolDefinition {
  return def as unknown as ToolDefinition
}

const READ_ONLY: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false }

const ual = z.string().min(1).max(500).describe('A UAL: did:cairn:<network>/<publisher>/<40-hex asset id>, optionally with /v<N> for a version.')
const iri = z.string().min(1).max(2000)

export function createTools (init: ToolsInit, components: ToolsComponents): ToolDefinition[] {
  const { store, assets, sparql, network } = components
  const max = init.maxResultBytes

  const record = (citations: Citation[], ctx: ToolContext): void => {
    if (citations.length > 0) components.contributions?.record(citations, { interface: 'mcp', requestHash: ctx.requestHash })
  }

  /** Reads of an asset this node lacks: on a networked node, fetch it from a holder (verified) and read again. */
  const held = async <T>(ualText: string, read: () => T): Promise<T> => {
    try {
      return read()
    } catch (err) {
      if (network === undefined || !isCairnError(err, 'ASSET_NOT_FOUND')) throw err
      await network.fetch(parseUal(ualText).ual)
      return read()
    }
  }

  const labelOf = (subject: string): string | null => {
    for (const predicate of LABEL_PREDICATES) {
      const [fact] = store.factsBySubject(subject, { predicate, limit: 1 }).items
      if (fact !== undefined && fact.object.termType === 'Literal') return fact.object.value
    }
    return null
  }
  const typesOf = (subject: string): string[] => store.factsBySubject(subject, { predicate: RDF_TYPE, limit: 5 }).items.map((f) => f.object.value)

  /** Facts with their citations (versions loaded in one statement). */
  const cite = (facts: FactRecord[]): Array<{ subject: string, predicate: string, object: string, citation: Citation }> => {
    const versions = new Map(store.versionsByIds([...new Set(facts.map((f) => f.versionId))]).map((v) => [v.id, v]))
    return facts.map((f) => {
      const version = versions.get(f.versionId)
      if (version === undefined) throw new CairnError('STORE_CORRUPT', `get_entity: version row ${f.versionId} of a stored triple is missing`)
      return { subject: termToNTriples(f.subject), predicate: termToNTriples(f.predicate), object: termToNTriples(f.object), citation: assets.citationFor(version, f) }
    })
  }

  const tools: ToolDefinition[] = [
    tool({
      name: 'search_entities',
      title: 'Search entities by name',
      description: 'Find entities (people, organizations, places, works, concepts…) in this Cairn knowledge graph by words in their names, ' +
        'labels or other text values. Use it first when you know a name but not an IRI. Returns the best matches first, each with its IRI, ' +
        'a human-readable label, its rdf:type classes and the text that matched. Pass an IRI from here to get_entity (its facts with citations) ' +
        "or in retrieve's `entities`. Keyword full-text match (every word must occur), not semantic: if nothing is found, try fewer or other words. " +
        "Page with `after` = the previous answer's `next`.",
      input: z.object({
        text: z.string().trim().min(1).max(500).describe('Words to look for, e.g. "Ada Lovelace" or "robotics".'),
        limit: z.number().int().min(1).max(MAX_SEARCH_LIMIT).default(DEFAULT_SEARCH_LIMIT).describe(`Most entities returned (1…${MAX_SEARCH_LIMIT}).`),
        after: z.string().max(500).optional().describe('Cursor: the `next` of the previous answer, for the following page.')
      }),
      annotations: READ_ONLY,
      run: async ({ text, limit, after }) => {
        const start = after === undefined ? undefined : decodeCursor(after, 'search_entities', isHitKey)
        const page = store.searchEntities(text, { limit, ...(start === undefined ? {} : { after: start }) })
        const entities = page.items.map((hit) => ({
          iri: hit.subject.value,
          label: labelOf(hit.subject.value) ?? hit.literal.value,
          types: typesOf(hit.subject.value),
          matched: termToNTriples(hit.literal),
          key: hit.key
        }))
        const { value } = await fitItems(entities, max, (kept, cut) => {
          const last = kept[kept.length - 1]
          const more = cut || page.hasMore
          return {
            entities: kept.map(({ key: _key, ...e }) => e),
            next: !more ? null : last === undefined ? after ?? null : encodeCursor(last.key),
            truncated: cut
          }
        })
        return value
      }
    }),

    tool({
      name: 'get_entity',
      title: 'Facts about an entity, with citations',
      description: 'All facts about one entity, by IRI: triples where it is the subject (`outgoing`) and where it is the object (`incoming`), ' +
        'from the current versions of all knowledge assets. Every fact carries a citation (asset UAL, version, the triple, merkle proof, root, ' +
        'publisher signature, anchor) that anyone can check offline with verify_citation; quote facts together with their citations. ' +
        "Bounded: `limit` facts per direction; page with `after` = the previous answer's `next`. Terms are in N-Triples notation.",
      input: z.object({
        iri: iri.describe('The entity IRI, e.g. from search_entities (without angle brackets).'),
        limit: z.number().int().min(1).max(MAX_ENTITY_FACTS).default(DEFAULT_ENTITY_FACTS).describe(`Most facts per direction (1…${MAX_ENTITY_FACTS}).`),
        after: z.string().max(2000).optional().describe('Cursor: the `next` of the previous answer, for the following page.')
      }),
      annotations: READ_ONLY,
      run: async ({ iri: subject, limit, after }, ctx) => {
        const start: EntityCursor = after === undefined ? { out: null, in: null } : decodeCursor(after, 'get_entity', isEntityCursor)
        const read = (list: 'out' | 'in'): { facts: FactRecord[], hasMore: boolean } => {
          const position = start[list]
          if (position === 'end') return { facts: [], hasMore: false }
          const query = { limit, ...(position === null ? {} : { after: position }) }
          const page = list === 'out' ? store.factsBySubject(subject, query) : store.factsByObject(subject, query)
          return { facts: page.items, hasMore: page.hasMore }
        }
        const out = read('out')
        const inc = read('in')
        const facts = cite([...out.facts, ...inc.facts])
        const header = { iri: subject, label: labelOf(subject), types: typesOf(subject) }
        const { value, kept } = await fitItems(facts, max, (keptFacts, cut) => {
          const nOut = Math.min(keptFacts.length, out.facts.length)
          const next = nextEntityCursor(start, out, inc, nOut, keptFacts.length - nOut)
          return { ...header, outgoing: keptFacts.slice(0, nOut), incoming: keptFacts.slice(nOut), next: next === null ? null : encodeCursor(next), truncated: cut }
        })
        record(facts.slice(0, kept).map((f) => f.citation), ctx)
        return value
      }
    }),

    tool({
      name: 'get_citation',
      title: 'Citation of one triple',
      description: 'The citation of one triple in one knowledge asset: merkle inclusion proof, root, publisher signature and anchor — the same bytes ' +
        "as the REST API's GET /assets/{ual}/proof. Use it to cite a triple found with sparql_query or get_asset (those return no proofs). " +
        'Terms are N-Triples (<https://ex.org/a>, "Alice", "Bob"@en, "42"^^<http://www.w3.org/2001/XMLSchema#integer>) or bare IRIs.',
      input: z.object({
        ual: ual.describe('The asset holding the triple (its current version unless `version` or a /v<N> UAL says otherwise).'),
        subject: z.string().min(1).max(2000),
        predicate: z.string().min(1).max(2000),
        object: z.string().min(1).max(100_000),
        version: z.number().int().min(1).optional().describe('Version number (default: current).')
      }),
      annotations: READ_ONLY,
      run: async ({ ual: u, subject, predicate, object, version }, ctx) => {
        const citation = await held(u, () => assets.proof(u, { subject, predicate, object }, version))
        record([citation], ctx)
        return { citation }
      }
    }),

    tool({
      name: 'get_asset',
      title: 'Read a knowledge asset',
      description: 'Read one knowledge asset — a signed, versioned RDF graph identified by a UAL (did:cairn:<network>/<publisher>/<id>) — as RDF text ' +
        'with its version metadata (merkle root, publisher, signature, signed timestamp, triple count). Large assets are paged with ' +
        '`offset`/`limit`; `nextOffset` is null at the end. For the full publication history, anchors and receipts use get_provenance.',
      input: z.object({
        ual,
        version: z.number().int().min(1).optional().describe('Version number (default: current).'),
        format: z.enum(['ntriples', 'nquads', 'turtle', 'jsonld']).default('ntriples').describe('RDF syntax of `content` (N-Quads puts each triple in the version graph).'),
        offset: z.number().int().min(0).default(0).describe('Triples to skip (leaf order).'),
        limit: z.number().int().min(1).max(MAX_ASSET_TRIPLES).default(DEFAULT_ASSET_TRIPLES).describe(`Most triples returned (1…${MAX_ASSET_TRIPLES}).`)
      }),
      annotations: READ_ONLY,
      run: async ({ ual: u, version, format, offset, limit }) => {
        const v = await held(u, () => versionOf(assets, u, version))
        const quads = store.getQuads(v.id, { offset, limit })
        const graph = format === 'nquads' ? v.versionIri : undefined
        const { value } = await fitItems(quads, max, async (kept, cut) => {
          const end = offset + kept.length
          return {
            ual: v.ual,
            version: versionMeta(v),
            format,
            offset,
            returned: kept.length,
            content: await serialize(kept, format, graph),
            nextOffset: end < v.tripleCount ? end : null,
            truncated: cut
          }
        })
        return value
      }
    }),

    tool({
      name: 'sparql_query',
      title: 'Read-only SPARQL query',
      description: 'Run a read-only SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE) over the knowledge graph. Call get_schema first for the ' +
        'classes and predicates in use with their exact IRIs: guessed IRIs are the usual cause of empty results. The default graph is the ' +
        'union of the current versions of all assets; every version is also the named graph <UAL/v<N>>; provenance (publisher, time, roots, ' +
        `anchors) is in GRAPH <urn:cairn:provenance>. Results are capped at ${init.sparqlMaxRows} rows and ${init.sparqlTimeoutMs} ms (use LIMIT/OFFSET); ` +
        'terms come back in N-Triples notation. Rows carry no proofs: to cite a triple you found, call get_citation. UPDATE and SERVICE are refused.',
      input: z.object({
        query: z.string().min(1).max(MAX_QUERY_CHARS).describe('The SPARQL query, with its PREFIX declarations.'),
        timeoutMs: z.number().int().min(1).max(init.sparqlTimeoutMs).optional().describe(`Lower the timeout (ms, at most ${init.sparqlTimeoutMs}).`)
      }),
      annotations: READ_ONLY,
      run: async ({ query, timeoutMs }) => {
        const result = await sparql.query(query, { format: 'json', timeoutMs: timeoutMs ?? init.sparqlTimeoutMs, maxRows: init.sparqlMaxRows })
        const note = 'the result was cut by the row, byte or timeout caps: add LIMIT/OFFSET or narrow the pattern'
        if (result.kind === 'graph') {
          const triples = result.body.split('\n').filter((line) => line.trim() !== '')
          const { value } = await fitItems(triples, max, (kept, cut) => ({
            form: inspectQuery(query).form ?? 'CONSTRUCT', triples: kept, rows: kept.length, truncated: cut || result.truncated, ...(cut || result.truncated ? { note } : {})
          }))
          return value
        }
        const doc = JSON.parse(result.body) as { head?: { vars?: string[] }, boolean?: boolean, results?: { bindings?: Array<Record<string, JsonTerm>> } }
        if (result.kind === 'boolean') return { form: 'ASK', boolean: doc.boolean ?? false, truncated: false }
        const vars = doc.head?.vars ?? []
        const rows = (doc.results?.bindings ?? []).map((b) => Object.fromEntries(Object.entries(b).map(([k, t]) => [k, jsonTermToNTriples(t)])))
        const { value } = await fitItems(rows, max, (kept, cut) => ({
          form: 'SELECT', vars, rows: kept, rowCount: kept.length, truncated: cut || result.truncated, ...(cut || result.truncated ? { note } : {})
        }))
        return value
      }
    }),

    tool({
      name: 'get_schema',
      title: 'Schema of the knowledge graph',
      description: 'What this knowledge graph contains, so you can write correct SPARQL: the classes in use (objects of rdf:type) with instance counts ' +
        'and example instances; the predicates in use with triple counts, example values, the kind of object they take (IRI, or literal and ' +
        'its datatype) and the classes of their subjects and objects; the named graphs, the provenance vocabulary and useful prefixes. ' +
        'Computed from the current data and cached until the next publish. Takes no arguments.',
      input: z.object({}),
      annotations: READ_ONLY,
      run: async () => {
        const summary = await components.schema(store.lastVersionId())
        // Cut the long tails first, predicates from the least used up.
        const { value } = await fitItems(summary.predicates, max, (kept, cut) => ({ ...summary, predicates: kept, truncated: summary.truncated || cut }))
        return value
      }
    }),

    tool({
      name: 'verify_citation',
      title: 'Verify a citation',
      description: 'Check a citation offline, exactly as a third party would: the triple matches its canonical merkle leaf, the proof leads to ' +
        "the signed root, the publisher's signature over the version claim holds, and the anchor proof holds. Returns `ok` and each check; " +
        'a failure names its CAIRN_* code. Also says whether this node holds the asset and whether the cited version is still current ' +
        '(a citation of an older version stays valid but may be outdated). Pass the citation object exactly as you received it.',
      input: z.object({
        citation: z.union([z.record(z.string(), z.unknown()), z.string().max(200_000)]).describe('The citation object (or its JSON text) from get_entity, retrieve, get_citation or the REST API.')
      }),
      annotations: READ_ONLY,
      run: async ({ citation }) => {
        let c: unknown = citation
        if (typeof citation === 'string') {
          try {
            c = JSON.parse(citation)
          } catch {
            throw new CairnError('PROOF_MALFORMED', 'verify_citation: citation is a string but not JSON; pass the citation object itself')
          }
        }
        const check: { ok: boolean, code?: string, reason?: string, checks?: Record<string, boolean> } = verifyCitation(c as Citation)
        const cited = (typeof c === 'object' && c !== null ? c : {}) as Partial<Citation>
        const base = {
          ok: check.ok,
          ...(check.ok ? {} : { code: `CAIRN_${check.code ?? 'PROOF_INVALID'}`, reason: check.reason ?? '' }),
          ...(check.checks === undefined ? {} : { checks: check.checks })
        }
        let asset: { held: boolean, currentVersion: number | null, current: boolean | null } = { held: false, currentVersion: null, current: null }
        if (typeof cited.ual === 'string') {
          try {
            const record = store.getAsset(parseUal(cited.ual).ual)
            if (record !== undefined) asset = { held: true, currentVersion: record.currentVersion, current: record.currentVersion === cited.version }
          } catch (err) {
            if (!isCairnError(err, 'ASSET_BAD_UAL')) throw err
          }
        }
        return { ...base, ual: cited.ual ?? null, version: cited.version ?? null, triple: cited.triple ?? null, asset }
      }
    }),

    tool({
      name: 'get_provenance',
      title: 'Provenance of a knowledge asset',
      description: 'Who published a knowledge asset, when, and how it is secured: every version (newest first) with its merkle root, previous ' +
        "root, signed timestamp, publisher signature, triple count, anchor proof (ledger entry) and peers' replication receipts. " +
        '`verify: true` also re-derives every version from the stored triples and checks roots, signatures, anchors and the version chain.',
      input: z.object({
        ual,
        verify: z.boolean().default(false).describe('Also re-verify every version (slower on large assets).')
      }),
      annotations: READ_ONLY,
      run: async ({ ual: u, verify }) => {
        const versions = await held(u, () => assets.history(u))
        const first = versions[0]
        const record = store.getAsset(first.ual)
        const report = verify ? assets.verify(first.ual) : undefined
        const views = [...versions].reverse().map((v) => ({ ...versionMeta(v), anchor: v.anchor, receipts: assets.receipts(v) }))
        const { value } = await fitItems(views, max, (kept, cut) => ({
          ual: first.ual,
          publisher: first.publisher,
          publisherIri: publisherIri(first.ual, first.publisher),
          currentVersion: record?.currentVersion ?? versions[versions.length - 1].version,
          createdAt: record?.createdAt ?? null,
          updatedAt: record?.updatedAt ?? null,
          versions: kept,
          ...(report === undefined ? {} : { verification: report }),
          truncated: cut
        }))
        return value
      }
    })
  ]

  const { retriever } = components
  if (retriever !== undefined) {
    tools.splice(2, 0, tool({
      name: 'retrieve',
      title: 'Retrieve cited facts for a question',
      description: 'Grounded retrieval — usually the best first call for a question. Give a natural-language question (and/or entity IRIs you ' +
        'already know) and get the most relevant facts within a budget, best first, each with a verifiable citation, plus a ready-to-quote ' +
        '`context` block whose [n] markers match facts[n-1]. Answer from these facts and cite them by [n]. Entities are linked by keywords ' +
        'in the question; if the facts miss the point, find IRIs with search_entities and pass them as `entities`.',
      input: z.object({
        question: z.string().trim().min(1).max(MAX_QUESTION_CHARS).optional().describe('The question in natural language.'),
        entities: z.array(iri).max(MAX_RETRIEVE_ENTITIES).optional().describe('Entity IRIs to start from (skips entity linking for them).'),
        maxFacts: z.number().int().min(1).max(MAX_FACTS).optional().describe(`Most facts returned (default ${DEFAULT_MAX_FACTS}).`),
        maxChars: z.number().int().min(MIN_CHARS).max(MAX_CHARS).optional().describe(`Most characters of the context block (default ${DEFAULT_MAX_CHARS.toLocaleString('en')}).`),
        hops: z.number().int().min(1).max(2).optional().describe('1: facts about the entities; 2: also about their neighbours (default 1).'),
        withProofs: z.boolean().optional().describe('Include merkle proofs in citations (default true; needed to verify them).')
      }),
      annotations: READ_ONLY,
      run: async ({ question, entities, maxFacts, maxChars, hops, withProofs }, ctx) => {
        if (question === undefined && (entities === undefined || entities.length === 0)) {
          throw new CairnError('API_BAD_REQUEST', 'retrieve: give a `question`, or `entities` (IRIs from search_entities), or both', { details: { parameter: 'question' } })
        }
        const budget = { ...(maxFacts === undefined ? {} : { maxFacts }), ...(maxChars === undefined ? {} : { maxChars }) }
        // The retriever records the citations it serves in the contribution ledger itself.
        const answer: RetrieveResponse = await retriever.retrieve({
          ...(question === undefined ? {} : { question }),
          ...(entities === undefined ? {} : { entities }),
          ...(Object.keys(budget).length === 0 ? {} : { budget }),
          ...(hops === undefined ? {} : { hops: hops as 1 | 2 }),
          ...(withProofs === undefined ? {} : { withProofs })
        }, { interface: 'mcp', requestHash: ctx.requestHash })
        const { value } = await fitItems(answer.facts, max, (kept, cut) => ({
          ...answer,
          facts: kept,
          context: cut ? keepMarkers(answer.context, kept.length) : answer.context,
          truncated: answer.truncated || cut
        }))
        return value
      }
    }))
  }

  if (init.publish) {
    const signer = components.publishSigner
    tools.push(tool({
      name: 'publish',
      title: 'Publish RDF as knowledge assets',
      description: 'Publish RDF as new knowledge assets on this node (one asset per graph), signed with the operator\'s MCP publisher key and ' +
        'anchored. Offered only because the operator enabled it; the MCP connection must carry the node API token. Returns each asset\'s ' +
        'UAL, version, merkle root and signature. Publishing is permanent and public: publish only what you were asked to.',
      input: z.object({
        content: z.string().min(1).describe('The RDF document.'),
        format: z.enum(['turtle', 'ntriples', 'nquads', 'trig', 'jsonld']).default('turtle').describe('Its syntax; TriG/N-Quads with several graphs publish one asset per graph.'),
        base: z.string().max(2000).optional().describe('Base IRI for relative IRIs.')
      }),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      run: async ({ content, format, base }, ctx) => {
        if (!ctx.authorized) {
          throw new CairnError('API_UNAUTHORIZED', 'publish: this MCP connection carries no node API token; send Authorization: Bearer <token> to /mcp (cairn mcp forwards --token / CAIRN_TOKEN)')
        }
        const input = { text: content, format: format as RdfFormat, ...(base === undefined ? {} : { base }) }
        const results: PublishResult[] = signer === undefined
          ? await assets.publishRdf(input)
          : await assets.publishSigned((await prepareGraphs(input)).map((g) => signVersion(g, { signer, network: init.network })))
        for (const r of results) if (r.status === 'created') network?.replicate(r.ual)
        return { assets: results }
      }
    }))
  }
  return tools
}

/** Where get_entity resumes in each direction: null = from the start, 'end' = nothing more. */
interface EntityCursor { out: FactKey | null | 'end', in: FactKey | null | 'end' }

function nextEntityCursor (start: EntityCursor, out: { facts: FactRecord[], hasMore: boolean }, inc: { facts: FactRecord[], hasMore: boolean }, keptOut: number, keptIn: number): EntityCursor | null {
  const advance = (from: FactKey | null | 'end', page: { facts: FactRecord[], hasMore: boolean }, kept: number): FactKey | null | 'end' => {
    if (from === 'end') return 'end'
    if (kept === page.facts.length && !page.hasMore) return 'end'
    return kept === 0 ? from : page.facts[kept - 1].key
  }
  const next = { out: advance(start.out, out, keptOut), in: advance(start.in, inc, keptIn) }
  return next.out === 'end' && next.in === 'end' ? null : next
}

function isFactKey (v: unknown): v is FactKey {
  const k = v as Record<string, unknown>
  return typeof v === 'object' && v !== null && ['s', 'p', 'o', 'versionId', 'leafIndex'].every((f) => Number.isInteger(k[f]))
}

function isEntityCursor (v: unknown): v is EntityCursor {
  const c = v as Record<string, unknown>
  const position = (p: unknown): boolean => p === null || p === 'end' || isFactKey(p)
  return typeof v === 'object' && v !== null && position(c.out) && position(c.in)
}

function isHitKey (v: unknown): v is EntityHitKey {
  const k = v as Record<string, unknown>
  return typeof v === 'object' && v !== null && typeof k.score === 'number' && Number.isInteger(k.s)
}

/** The given version (or the one named by a /v<N> UAL, or the current one) of an asset. */
function versionOf (assets: AssetService, ualText: string, version: number | undefined): VersionRecord {
  const parsed = parseUal(ualText)
  const versions = assets.history(parsed.ual)
  const wanted = version ?? parsed.version
  const found = wanted === undefined ? versions.find((v) => v.isCurrent) ?? versions[versions.length - 1] : versions.find((v) => v.version === wanted)
  if (found === undefined) {
    throw new CairnError('ASSET_VERSION_NOT_FOUND', `get_asset: ${parsed.ual} has no version ${String(wanted)}; it has versions 1…${versions.length}`, { details: { ual: parsed.ual, version: wanted } })
  }
  return found
}

function versionMeta (v: VersionRecord): ToolValue {
  return {
    version: v.version,
    versionIri: v.versionIri,
    root: v.root,
    previousRoot: v.previousRoot,
    timestamp: v.timestamp,
    publisher: v.publisher,
    signature: v.signature,
    tripleCount: v.tripleCount,
    sourceName: v.sourceName,
    isCurrent: v.isCurrent
  }
}

async function serialize (quads: Parameters<typeof serializeQuads>[0], format: 'ntriples' | 'nquads' | 'turtle' | 'jsonld', graph: string | undefined): Promise<string> {
  if (format === 'nquads' && graph !== undefined) {
    const g = DataFactory.namedNode(graph)
    return await serializeQuads(quads.map((q) => DataFactory.quad(q.subject, q.predicate, q.object, g)), 'nquads')
  }
  return await serializeQuads(quads, format)
}

/** The context block's lines for the first `n` markers (lines without a marker are kept). */
function keepMarkers (context: string, n: number): string {
  return context.split('\n').filter((line) => {
    const m = /^\s*\[(\d+)\]/.exec(line)
    return m === null || Number(m[1]) <= n
  }).join('\n')
}
