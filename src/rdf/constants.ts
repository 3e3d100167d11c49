/**
 * Limits and fixed identifiers of src/rdf, each with its reason.
 */

/**
 * RDFC-1.0 work bound handed to rdf-canonize as `maxWorkFactor`: at most n^3 Hash N-Degree Quads runs, n being the
 * number of blank nodes whose first-degree hash is shared (RDFC-1.0 §4.4 step 5; §6 "poison graphs").
 *
 * Why 3: it is the smallest factor that canonicalizes every RDFC-1.0 eval test, including the "poison – evil"
 * tests 044–046 (they need more than n^2), and still refuses the 10-node clique of negative test 074 (1000 runs,
 * ~0.2 s). 1 (the library default) fails 18 approved tests, 2 fails 3. The bound is deterministic, so every node
 * accepts or refuses the same graph. It does not bound wall time for large cliques (a 30-node clique spends ~12 s
 * before being refused): callers that face untrusted input should also pass `signal` (see canonicalizeGraph) and
 * a `maxTriples`.
 */
export const MAX_WORK_FACTOR = 3

/** Hash used by RDFC-1.0 unless a caller overrides it (RDFC-1.0 §4.1: SHA-256 is the default). */
export const DEFAULT_HASH_ALGORITHM = 'sha256'

/** RFC 3986 §3.1 scheme: an IRI is absolute iff it starts with one. */
export const ABSOLUTE_IRI = /^[A-Za-z][A-Za-z0-9+.-]*:/

/**
 * Remote context URLs served from contexts/schema.org.jsonld. schema.org answers all of these with the same
 * context (its JSON-LD docs page and content negotiation on the home page).
 */
export const SCHEMA_ORG_CONTEXT_URLS: readonly string[] = ['http', 'https'].flatMap(scheme => [
  `${scheme}://schema.org`,
  `${scheme}://schema.org/`,
  `${scheme}://schema.org/docs/jsonldcontext.json`,
  `${scheme}://schema.org/docs/jsonldcontext.jsonld`
])
