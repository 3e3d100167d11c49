/**
 * Grounded retrieval for AI agents: a question and/or entities in, ranked facts out within a budget, each with a
 * citation (UAL, version, triple, merkle proof, root, signature, anchor, publisher) that verifies offline with
 * src/proof, plus a context block with numbered markers matching the citations. Every citation served is counted
 * in the contribution ledger. Pipeline and scoring: docs/retrieval.md.
 *
 * @packageDocumentation
 * @example
 * ```ts
 * const contributions = createContributionLedger({}, { store })
 * const retriever = createRetriever({}, { store, assets, contributions })
 * const answer = await retriever.retrieve({ question: 'Who founded ACME?', budget: { maxFacts: 10 } }, { interface: 'rest', requestHash })
 * console.log(answer.context) // [1] ACME — founder — Alice (source: did:cairn:local/5F…/0a1b… v1)
 * ```
 */
import type { Logger } from 'pino'
import type { AssetService } from '../asset/index.js'
import type { Network } from '../network/index.js'
import type { Citation, ServedCitation } from '../proof/index.js'
import type { Startable } from '../startable.js'
import type { AssetStore } from '../store/index.js'
import { SqliteContributionLedger } from './contribution-ledger.js'
import { KeywordRetriever } from './retriever.js'

export { parseRetrieveRequest } from './request.js'
export { contributionsCsv } from './contribution-ledger.js'
export { withoutProof } from './retriever.js'
/** A citation as served (`withProofs: false` leaves its proof out): see proof/citation.ts. */
export type { ServedCitation } from '../proof/index.js'
export { DEFAULT_MAX_CHARS, DEFAULT_MAX_FACTS, MAX_CHARS, MAX_CROSS_CHECK, MAX_FACTS, RETRIEVE_BODY_LIMIT, WEIGHTS } from './constants.js'

/** Where a retrieval or citation was served from (recorded in the contribution ledger). */
export type ServedInterface = 'rest' | 'graphql' | 'mcp' | 'cli'

export interface RetrieveRequest {
  question?: string
  /** Entity IRIs to start from (skipping entity linking for them). */
  entities?: string[]
  budget?: {
    /** Most facts returned (default 20, cap 200). */
    maxFacts?: number
    /** Most characters of the context block (default 4,000, cap 100,000). */
    maxChars?: number
  }
  /** Paranets do not exist yet: a non-empty value is refused with API_BAD_REQUEST. */
  paranet?: string
  /** Neighbourhood expansion depth: 1 or 2 (default 1). */
  hops?: 1 | 2
  /** Include merkle inclusion proofs in citations (default true). */
  withProofs?: boolean
  /** Ask k peers holding the cited assets for the same facts and report agreement (networked nodes). */
  crossCheck?: number
}

/** An RDF/JS-like term as JSON. */
export interface TermJson {
  termType: 'NamedNode' | 'Literal' | 'BlankNode'
  value: string
  datatype?: string
  language?: string
}

export interface RetrievedFact {
  /** [n] in the context block. */
  marker: number
  triple: { subject: TermJson, predicate: TermJson, object: TermJson }
  score: number
  /** The components of the score, each in [0, 1] (docs/retrieval.md#3-scoring): score = Σ WEIGHTS[k] × scoreParts[k]. */
  scoreParts: Record<string, number>
  /** How many current asset versions state this same triple (the best-scored one is cited). */
  statedBy: number
  citation: ServedCitation
}

export interface RetrieveResponse {
  facts: RetrievedFact[]
  /** Ready-to-paste context: one numbered line per fact, [n] matching `facts[n-1]`. */
  context: string
  /** Entities the question was linked to, best first. */
  entities: Array<{ iri: string, label: string, score: number }>
  /** How entities were linked: 'keyword' (FTS5); 'semantic' only when a semantic index is configured. */
  linking: 'keyword' | 'semantic'
  /** Human-readable notes, e.g. that no semantic index is configured. */
  notes: string[]
  /** True when the budget cut facts that would otherwise have been returned. */
  truncated: boolean
  /** The budget applied (request values or defaults) and the hops used. */
  budget: { maxFacts: number, maxChars: number }
  hops: 1 | 2
  /** Candidate facts considered (after de-duplication) before the budget cut. */
  candidates: number
  crossCheck?: CrossCheckReport
}

/**
 * Agreement of peers on the facts of an answer: for each peer, how many cited triples it holds in the same asset
 * version with the same root (`agreed`), holds differently — another root for that version, or the line absent from
 * the version's lines, or lines that do not hash to the root (`disagreed`), or does not hold (`missing`).
 */
export interface CrossCheckReport {
  requested: number
  peers: Array<{ peer: string, agreed: number, disagreed: number, missing: number, error?: string }>
}

export interface RetrieveContext {
  interface: ServedInterface
  /** Hash of the request (docs/api.md#signed-responses), recorded with each citation served. */
  requestHash: string
}

export interface Retriever {
  retrieve (request: RetrieveRequest, context: RetrieveContext): Promise<RetrieveResponse>
}

/** One citation served, as the contribution ledger records it. */
export interface Contribution {
  ual: string
  version: number
  publisher: string
  requestHash: string
  interface: ServedInterface
  time: string
}

export interface ContributionSummary {
  publisher: string | null
  /** The window, ISO-8601 UTC: from inclusive, to exclusive; null = unbounded. */
  from: string | null
  to: string | null
  /** Per publisher (by address), its citations and its assets' citations (most cited first). */
  publishers: Array<{ publisher: string, citations: number, assets: Array<{ ual: string, citations: number }> }>
  total: number
  /** True when the per-asset rows were cut at the row cap; per-publisher counts and the total stay exact. */
  truncated: boolean
}

export interface ContributionQuery {
  publisher?: string
  /** ISO-8601 date or date-time (inclusive). */
  from?: string
  /** ISO-8601 date or date-time (exclusive). */
  to?: string
}

/** Counts the citations served per publisher and asset: the basis for rewarding knowledge that grounded answers. */
export interface ContributionLedger {
  /** Record each citation of one answer (asset, version, publisher) with the answer's request hash and interface. */
  record (citations: Array<Pick<Citation, 'ual' | 'version' | 'publisher'>>, context: RetrieveContext): void
  /** API_BAD_REQUEST for a date that does not parse or a window with from > to. */
  summary (query: ContributionQuery): ContributionSummary
}

export interface ContributionLedgerInit {
  /** Per-asset rows per summary at most (default 10,000). */
  maxRows?: number
  /** Clock, for tests. */
  now?: () => Date
}

export interface ContributionLedgerComponents {
  store: AssetStore
  /** Where a failed background write is reported. */
  logger?: Logger
}

/**
 * The SQLite ledger: started, it writes each turn's rows in one transaction just after the answers (off their
 * path); `flush` writes what is pending now; `stop` flushes. Not started, `record` writes at once.
 */
export interface BufferedContributionLedger extends ContributionLedger, Startable {
  flush (): void
}

export function createContributionLedger (init: ContributionLedgerInit, components: ContributionLedgerComponents): BufferedContributionLedger {
  return new SqliteContributionLedger(init, components)
}

export interface RetrieverInit {
  /** Facts per answer when the request sets no budget (default 20). */
  defaultMaxFacts?: number
  /** Context characters when the request sets no budget (default 4,000). */
  defaultMaxChars?: number
}

export interface RetrieverComponents {
  store: AssetStore
  assets: AssetService
  contributions: ContributionLedger
  /** Networked nodes: `crossCheck` asks the peers holding the cited assets. */
  network?: Network
}

export function createRetriever (init: RetrieverInit, components: RetrieverComponents): Retriever {
  return new KeywordRetriever(init, components)
}
