/**
 * Defaults, caps and the scoring weights of retrieval (docs/retrieval.md explains each; change both together).
 */

/** Facts per answer when the request gives no budget, and the most a request may ask for. */
export const DEFAULT_MAX_FACTS = 20
export const MAX_FACTS = 200
/** Characters of the context block: default and cap. */
export const DEFAULT_MAX_CHARS = 4000
export const MAX_CHARS = 100_000
/** The smallest context budget accepted: one line with its marker and source needs about this much. */
export const MIN_CHARS = 80

/** Longest question accepted (characters), and most question terms used for entity linking. */
export const MAX_QUESTION_CHARS = 2000
export const MAX_QUESTION_TERMS = 8
/** Explicit entity IRIs per request. */
export const MAX_ENTITIES = 32
/** Peers asked by `crossCheck` at most (each one is a network round trip). */
export const MAX_CROSS_CHECK = 8
/** Largest JSON body of POST /retrieve: a question, a few IRIs and options fit in far less. */
export const RETRIEVE_BODY_LIMIT = 64 * 1024

/**
 * Entity linking reads at most SEARCH_LITERALS matching literals per FTS5 search (unranked, so the cost is bounded
 * even for words in tens of thousands of literals) and SEARCH_PAIRS (subject, literal) pairs. Searches: all present
 * question words together, each pair of the LINK_RARE_TERMS rarest words, and each of those words alone.
 */
export const SEARCH_LITERALS = 200
export const SEARCH_PAIRS = 400
export const LINK_RARE_TERMS = 3
/** Entities kept after linking (best first), and the share of the best link score an entity needs to be kept. */
export const MAX_LINKED_ENTITIES = 5
export const LINK_KEEP_RATIO = 0.75

/**
 * Neighbourhood pages. Hop 1 reads a linked entity's own facts and the facts pointing at it; entities linked with a
 * lower score than the best read SECONDARY_PAGE_SHARE of these pages (their facts rank lower anyway).
 */
export const HOP1_SUBJECT_FACTS = 100
export const HOP1_OBJECT_FACTS = 50
export const SECONDARY_PAGE_SHARE = 0.25
/** Hop 2: at most this many neighbours (IRIs reached at hop 1), each with smaller pages. */
export const HOP2_NEIGHBOURS = 10
export const HOP2_SUBJECT_FACTS = 20
export const HOP2_OBJECT_FACTS = 10

/** A literal longer than this is cut (with …) in the context line; the citation keeps the whole triple. */
export const CONTEXT_LITERAL_CHARS = 300

/**
 * score = Σ weight × part, every part in [0, 1] (docs/retrieval.md#3-scoring). Text match dominates, then how well the
 * fact's entity matched the question and how close it is to it; labels, recency and verification break ties.
 */
export const WEIGHTS = {
  text: 0.40,
  entity: 0.25,
  proximity: 0.20,
  label: 0.05,
  recency: 0.05,
  verified: 0.05
} as const

/** Proximity: 1 for hop 1, 0.5 for hop 2; a fact where the entity is the object gets 80 % of that. */
export const HOP_PROXIMITY = { 1: 1, 2: 0.5 } as const
export const OBJECT_SIDE_FACTOR = 0.8


/** Predicates whose objects name their subject: preferred in answers and used for labels in the context block. */
export const LABEL_PREDICATES = [
  'http://www.w3.org/2000/01/rdf-schema#label',
  'https://schema.org/name',
  'http://schema.org/name',
  'http://www.w3.org/2004/02/skos/core#prefLabel',
  'http://xmlns.com/foaf/0.1/name',
  'http://purl.org/dc/terms/title'
] as const

export const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type'

/** Word document frequencies are remembered this long (they only order searches; absent words are never cached). */
export const WORD_COUNT_TTL_MS = 60_000
export const WORD_COUNT_CACHE_MAX = 10_000

/** Rows of a contribution summary at most (publisher × asset); more → `truncated: true`. */
export const MAX_CONTRIBUTION_ROWS = 10_000
