/**
 * Defaults of the GraphQL API. The page sizes are also written in schema.graphql (`first: Int = 20`);
 * test/graphql/schema.spec.ts checks the two agree.
 */

/** Items per page when `first` is not given. */
export const DEFAULT_PAGE_SIZE = 20
/** Largest `first`: a page of facts with citations stays well under 10 ms (docs/performance.md#graphql). */
export const MAX_PAGE_SIZE = 100
/** Deepest field nesting (introspection fields excluded): enough for entity → facts → edges → node → source → field. */
export const MAX_DEPTH = 8
/**
 * Largest estimated cost of one operation: each field costs its weight plus `first` (or {@link LIST_SIZE_ESTIMATE})
 * times the cost of what it selects. 10 000 allows 100 facts with citations and sources, not 100 assets × 100 triples.
 */
export const MAX_COST = 10_000
/** Assumed length of lists that are not paged (`history`, `versions`, `receipts`) for the cost estimate. */
export const LIST_SIZE_ESTIMATE = 10
/**
 * Fields that cost more than 1: a citation builds a merkle proof; SPARQL and search scan indexes; a retrieval links,
 * expands and ranks hundreds of facts and cites up to its budget.
 */
export const FIELD_WEIGHTS: Readonly<Record<string, number>> = {
  'Fact.citation': 5,
  'AssetVersion.holders': 2,
  'AssetVersion.receipts': 2,
  'Query.search': 50,
  'Query.sparql': 100,
  'Query.retrieve': 100
}
/** Largest request body (a GraphQL document with its variables), bytes. */
export const DEFAULT_BODY_LIMIT = 100_000
/** Longest `search` text, characters. */
export const MAX_SEARCH_TEXT = 500
