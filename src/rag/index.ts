/**
 * Grounded retrieval for AI agents: a question and/or entities in, ranked facts out within a budget, each with a
 * citation (UAL, version, triple, merkle proof, root, signature, anchor, publisher) that verifies offline with
 * src/proof, plus a context block with numbered markers matching the citations. Pipeline and scoring:
 * docs/retrieval.md.
 *
 * @packageDocumentation
 * @example
 * ```ts
 * const retriever = createRetriever({}, { store, assets, contributions })
 * const answer = await retriever.retrieve({ question: 'Who founded ACME?', budget: { maxFacts: 10 } }, { interface: 'rest', requestHash })
 * ```
 */
import type { AssetService } from '../asset/index.js'
import type { Network } from '../network/index.js'
import type { Citation } from '../proof/index.js'
import type { AssetStore } from '../store/index.js'

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
  /** The components of the score (docs/retrieval.md). */
  scoreParts: Record<string, number>
  citation: Citation
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
  crossCheck?: {
    requested: number
    peers: Array<{ peer: string, agreed: number, disagreed: number, missing: number, error?: string }>
  }
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
  from: string | null
  to: string | null
  publishers: Array<{ publisher: string, citations: number, assets: Array<{ ual: string, citations: number }> }>
  total: number
}

/** Counts the citations served per publisher and asset: the basis for rewarding knowledge that grounded answers. */
export interface ContributionLedger {
  record (citations: Citation[], context: RetrieveContext): void
  summary (query: { publisher?: string, from?: string, to?: string }): ContributionSummary
}

export interface RetrieverInit {
  /** Default and cap of facts per answer. */
  defaultMaxFacts?: number
  maxFacts?: number
}

export interface RetrieverComponents {
  store: AssetStore
  assets: AssetService
  contributions: ContributionLedger
  network?: Network
}
