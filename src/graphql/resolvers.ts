/**
 * Resolvers: thin adapters from GraphQL fields to AssetStore reads (keyset pages), AssetService (history, citations,
 * receipts) and the Retriever. Sources, version lists and receipts go through the request's loaders, so a page costs
 * a fixed number of statements. Every citation served is recorded in the contribution ledger (interface 'graphql').
 * No SQL or SPARQL text here.
 */
import type { GraphQLFieldResolver, GraphQLTypeResolver } from 'graphql'
import { DataFactory } from 'n3'
import type { Term } from '@rdfjs/types'
import { parseUal } from '../asset/index.js'
import type { AssetService } from '../asset/index.js'
import { CairnError } from '../errors.js'
import { citationJson } from '../proof/index.js'
import type { Receipt } from '../proof/index.js'
import { withoutProof } from '../rag/index.js'
import type { ContributionLedger, RetrievedFact, RetrieveRequest, Retriever, ServedCitation, TermJson } from '../rag/index.js'
import type { QueryResult, SparqlEngine } from '../sparql/index.js'
import type { AssetStore, EntityHit, FactRecord, KeysetPage, VersionRecord } from '../store/index.js'
import { DEFAULT_PAGE_SIZE, MAX_SEARCH_TEXT } from './constants.js'
import {
  assetCursor, factCursor, factKey, fromGlobalId, parseAssetCursor, parseFactCursor, parseFactKey, parseSearchCursor, searchCursor, toGlobalId
} from './ids.js'
import type { Loaders } from './loaders.js'

/** What every resolver gets as context: the request's loaders and hash. */
export interface GraphqlContext {
  loaders: Loaders
  /** The request hash (docs/api.md#signed-responses): recorded in the contribution ledger with each citation served. */
  requestHash: string
}

/** What the resolvers read from. */
export interface ResolverComponents {
  store: AssetStore
  assets: AssetService
  sparql: SparqlEngine
  retriever: Retriever
  contributions: ContributionLedger
  /** The node's peer network, when it runs one: its peer id heads `holders`. */
  network?: { readonly peerId: string }
}

/** Limits the resolvers enforce themselves (page sizes are also checked before execution). */
export interface ResolverOptions {
  maxPageSize: number
}

type Args = Record<string, unknown>
// Parents differ per type (VersionRecord, FactRecord, Entity…); each resolver names its own.
type Resolver = GraphQLFieldResolver<any, GraphqlContext, Args>
/** Field resolvers per object type, and the type resolver of each interface. */
export interface ResolverMap {
  fields: Record<string, Record<string, Resolver>>
  interfaces: Record<string, GraphQLTypeResolver<unknown, GraphqlContext>>
}

interface Entity { iri: string }
interface PageInfo { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }
interface Connection<N, E = { cursor: string, node: N }> { edges: E[], nodes: N[], pageInfo: PageInfo }

/** The resolvers of schema.graphql, bound to their components. */
export function createResolvers ({ store, assets, sparql, retriever, contributions, network }: ResolverComponents, { maxPageSize }: ResolverOptions): ResolverMap {
  const pageSize = (first: unknown, field: string): number => {
    if (first === undefined || first === null) return DEFAULT_PAGE_SIZE
    if (!Number.isInteger(first) || (first as number) < 0 || (first as number) > maxPageSize) {
      throw new CairnError('API_LIMIT', `${field}: first must be 0…${maxPageSize}; follow pageInfo.endCursor for more`, { details: { field, max: maxPageSize } })
    }
    return first as number
  }
  const after = <T>(value: unknown, parse: (cursor: string) => T): T | undefined =>
    value === undefined || value === null ? undefined : parse(value as string)

  /** A page of facts as a connection, its versions read now in one statement (see loaders.ts). */
  const factConnection = (page: KeysetPage<FactRecord>, args: Args, ctx: GraphqlContext): Connection<FactRecord> => {
    ctx.loaders.prefetch(page.items.map((f) => f.versionId))
    return connection(page.items, page.hasMore, (f) => factCursor(f.key), args.after)
  }

  const facts = (list: 'facts' | 'inbound') => (entity: Entity, args: Args, ctx: GraphqlContext): Connection<FactRecord> => {
    const query = {
      limit: pageSize(args.first, `Entity.${list}`),
      ...optional('predicate', args.predicate === undefined || args.predicate === null ? undefined : iriArg(args.predicate as string, 'predicate')),
      ...optional('after', after(args.after, parseFactCursor))
    }
    return factConnection(list === 'facts' ? store.factsBySubject(entity.iri, query) : store.factsByObject(entity.iri, query), args, ctx)
  }

  const versionOf = (ual: string, version?: number): VersionRecord => {
    const record = store.getVersion(ual, version)
    if (record !== undefined) return record
    if (store.getAsset(ual) === undefined) throw new CairnError('ASSET_NOT_FOUND', `no asset ${ual} on this node`, { details: { ual } })
    throw new CairnError('ASSET_VERSION_NOT_FOUND', `${ual} has no version ${version ?? ''}`, { details: { ual, version } })
  }

  const node = (id: string): unknown => {
    const global = fromGlobalId(id)
    if (global === undefined) throw new CairnError('API_BAD_REQUEST', `node: ${JSON.stringify(id.slice(0, 100))} is not a Cairn global id; use an id the API returned`, { details: { field: 'id' } })
    if (global.type === 'Entity') return { __typename: 'Entity', iri: global.key }
    const fact = global.type === 'Fact' ? parseFactKey(global.key) : undefined
    let record: VersionRecord | undefined
    try {
      const ual = parseUal(fact?.versionIri ?? global.key)
      record = ual.version === undefined ? undefined : store.getVersion(ual.ual, ual.version)
    } catch {
      return null
    }
    if (record === undefined) return null
    if (global.type === 'AssetVersion') return { __typename: 'AssetVersion', ...record }
    if (fact === undefined) return null
    const [item] = store.factsOfVersion(record.id, { after: { s: 0, p: 0, o: 0, versionId: record.id, leafIndex: fact.leafIndex - 1 }, limit: 1 }).items
    return item?.leafIndex === fact.leafIndex ? { __typename: 'Fact', ...item } : null
  }

  const fields: ResolverMap['fields'] = {
    Query: {
      node: (_root, args: Args) => node(args.id as string),
      asset: (_root, args: Args) => {
        const parsed = parseUal(args.ual as string)
        const version = args.version === undefined || args.version === null ? parsed.version : args.version as number
        if (version !== undefined && version < 1) throw new CairnError('API_BAD_REQUEST', `asset: version must be a positive integer, got ${version}`, { details: { field: 'version' } })
        return versionOf(parsed.ual, version)
      },
      assets: (_root, args: Args) => {
        if (args.paranet !== undefined && args.paranet !== null) {
          throw new CairnError('API_BAD_REQUEST', 'assets: paranets are not supported yet; leave out the paranet argument', { details: { field: 'paranet' } })
        }
        const page = store.listCurrentVersions({
          limit: pageSize(args.first, 'Query.assets'),
          ...optional('publisher', args.publisher as string | null | undefined),
          ...optional('after', after(args.after, parseAssetCursor))
        })
        return connection(page.items, page.next !== null, (v) => assetCursor(v.ual), args.after)
      },
      history: (_root, args: Args) => assets.history(args.ual as string),
      entity: (_root, args: Args): Entity => ({ iri: iriArg(args.iri as string, 'iri') }),
      search: (_root, args: Args) => {
        const text = args.text as string
        if (text.trim() === '') throw new CairnError('API_BAD_REQUEST', 'search: text is empty; give at least one word', { details: { field: 'text' } })
        if (text.length > MAX_SEARCH_TEXT) {
          throw new CairnError('API_LIMIT', `search: text is ${text.length} characters; the limit is ${MAX_SEARCH_TEXT}`, { details: { field: 'text', max: MAX_SEARCH_TEXT } })
        }
        const page = store.searchEntities(text, { limit: pageSize(args.first, 'Query.search'), ...optional('after', after(args.after, parseSearchCursor)) })
        return searchConnection(page, args.after)
      },
      sparql: async (_root, args: Args) => sparqlView(await sparql.query(args.query as string, { format: 'json' })),
      // The retriever validates the request and records its citations itself, as for POST /retrieve.
      retrieve: async (_root, args: Args, ctx) => {
        const answer = await retriever.retrieve(retrieveRequest(args), { interface: 'graphql', requestHash: ctx.requestHash })
        return { ...answer, linking: answer.linking.toUpperCase(), facts: answer.facts.map(retrievedFactView) }
      }
    },
    AssetVersion: {
      id: (v: VersionRecord) => toGlobalId('AssetVersion', v.versionIri),
      holders: async (v: VersionRecord, _args, ctx) => holders(network?.peerId, await ctx.loaders.receipts.load(v)),
      receipts: async (v: VersionRecord, _args, ctx) => await ctx.loaders.receipts.load(v),
      versions: async (v: VersionRecord, _args, ctx) => await ctx.loaders.versionsOf.load(v.ual),
      triples: (v: VersionRecord, args: Args, ctx) => {
        ctx.loaders.known.set(v.id, v)
        return factConnection(store.factsOfVersion(v.id, {
          limit: pageSize(args.first, 'AssetVersion.triples'),
          ...optional('after', after(args.after, parseFactCursor))
        }), args, ctx)
      }
    },
    Entity: {
      id: (e: Entity) => toGlobalId('Entity', e.iri),
      term: (e: Entity) => DataFactory.namedNode(e.iri),
      facts: facts('facts'),
      inbound: facts('inbound')
    },
    Fact: {
      id: (f: FactRecord, _args, ctx) => withVersion(f, ctx, (v) => toGlobalId('Fact', factKey(v.versionIri, f.leafIndex))),
      source: (f: FactRecord, _args, ctx) => withVersion(f, ctx, (v) => v),
      citation: (f: FactRecord, args: Args, ctx) => withVersion(f, ctx, (v) => {
        const citation = assets.citationFor(v, f)
        contributions.record([citation], { interface: 'graphql', requestHash: ctx.requestHash })
        return args.withProof === false ? withoutProof(citation) : citation
      })
    },
    Citation: {
      proof: (c: ServedCitation) => c.proof ?? null,
      // Written only when asked for: it is most of a page's bytes.
      json: (c: ServedCitation) => citationJson(c)
    }
  }
  const interfaces: ResolverMap['interfaces'] = {
    // node() tags what it returns; nothing else returns a Node-typed field.
    Node: (value) => (value as { __typename: string }).__typename,
    Term: (value) => {
      const type = (value as Term).termType
      if (type === 'NamedNode' || type === 'BlankNode' || type === 'Literal') return type
      throw new CairnError('INTERNAL', `GraphQL: no Term type for a ${type}`)
    }
  }
  return { fields, interfaces }
}

/** The arguments of `Query.retrieve` as a retrieve request: arguments given as null are left out, as if not given. */
function retrieveRequest (args: Args): RetrieveRequest {
  const present = (o: Args): Args => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined))
  const request = present(args)
  if (request.budget !== undefined) request.budget = present(request.budget as Args)
  return request as RetrieveRequest
}

/** A retrieved fact for the `RetrievedFact` type: RDF/JS terms (as `Term` serves them). */
function retrievedFactView (f: RetrievedFact): Omit<RetrievedFact, 'triple'> & { triple: Record<'subject' | 'predicate' | 'object', Term> } {
  return { ...f, triple: { subject: rdfTerm(f.triple.subject), predicate: rdfTerm(f.triple.predicate), object: rdfTerm(f.triple.object) } }
}

function rdfTerm (t: TermJson): Term {
  if (t.termType === 'Literal') return DataFactory.literal(t.value, t.language ?? DataFactory.namedNode(t.datatype ?? ''))
  return t.termType === 'BlankNode' ? DataFactory.blankNode(t.value) : DataFactory.namedNode(t.value)
}

/** `fn` of the fact's version: at once when its list prefetched it, else once the batched load answers. */
function withVersion<T> (f: FactRecord, ctx: GraphqlContext, fn: (v: VersionRecord) => T): T | Promise<T> {
  const known = ctx.loaders.known.get(f.versionId)
  return known !== undefined ? fn(known) : ctx.loaders.version.load(f.versionId).then(fn)
}

/** This node's peer id (when networked), then the peers with stored receipts, without repeats. */
function holders (self: string | undefined, receipts: Receipt[]): string[] {
  return [...new Set([...(self === undefined ? [] : [self]), ...receipts.map((r) => r.peer)])]
}

function connection<N> (items: N[], hasMore: boolean, cursor: (item: N) => string, after: unknown): Connection<N> {
  const edges = items.map((node) => ({ cursor: cursor(node), node }))
  return { edges, nodes: items, pageInfo: pageInfo(edges, hasMore, after) }
}

function searchConnection (page: KeysetPage<EntityHit>, after: unknown): Connection<Entity, { cursor: string, node: Entity, literal: Term, score: number }> {
  const edges = page.items.map((hit) => ({ cursor: searchCursor(hit.key), node: { iri: hit.subject.value }, literal: hit.literal, score: hit.score }))
  return { edges, nodes: edges.map((e) => e.node), pageInfo: pageInfo(edges, page.hasMore, after) }
}

function pageInfo (edges: Array<{ cursor: string }>, hasMore: boolean, after: unknown): PageInfo {
  return {
    hasNextPage: hasMore,
    hasPreviousPage: after !== undefined && after !== null,
    startCursor: edges[0]?.cursor ?? null,
    endCursor: edges[edges.length - 1]?.cursor ?? null
  }
}

function sparqlView (result: QueryResult): { kind: string, contentType: string, body: string, rows: number, truncated: boolean } {
  return {
    kind: result.kind.toUpperCase(),
    contentType: result.kind === 'graph' ? 'application/n-triples' : 'application/sparql-results+json',
    body: result.body,
    rows: result.rows,
    truncated: result.truncated
  }
}

/** An IRI argument: absolute (scheme:…), with none of the characters N-Triples forbids in an IRI. */
function iriArg (value: string, field: string): string {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|^`\\]*$/.test(value)) {
    throw new CairnError('API_BAD_REQUEST', `${field}: ${JSON.stringify(value.slice(0, 200))} is not an absolute IRI; give it without <>, e.g. https://example.org/alice`,
      { details: { field } })
  }
  return value
}

function optional<K extends string, V> (key: K, value: V | null | undefined): Partial<Record<K, V>> {
  return value === undefined || value === null ? {} : { [key]: value } as Record<K, V>
}
