/** Name the server gives in the MCP `initialize` answer (serverInfo.name). */
export const MCP_SERVER_NAME = 'cairn'
/** Where the Streamable HTTP transport is mounted on the node's API. */
export const MCP_PATH = '/mcp'
/**
 * Bytes of JSON per tool result before it is cut (`truncated: true`). A model reads every byte of a tool result
 * into its context window, so the default is small (64 KiB ≈ 16k tokens); `mcpMaxResultBytes` raises it.
 */
export const DEFAULT_MAX_RESULT_BYTES = 64 * 1024
/** Rows of a `sparql_query` result (the REST endpoint keeps its own, much larger, cap). */
export const DEFAULT_SPARQL_MAX_ROWS = 200
/** `sparql_query` timeout, ms; the engine's own timeout still bounds it. */
export const DEFAULT_SPARQL_TIMEOUT_MS = 5_000
/** `search_entities`: default and largest page. */
export const DEFAULT_SEARCH_LIMIT = 10
export const MAX_SEARCH_LIMIT = 50
/** `get_entity`: default and largest number of facts per direction (each carries a full citation, ~1.5 KB). */
export const DEFAULT_ENTITY_FACTS = 10
export const MAX_ENTITY_FACTS = 100
/** `get_asset`: default and largest number of triples per call (page with `offset`). */
export const DEFAULT_ASSET_TRIPLES = 200
export const MAX_ASSET_TRIPLES = 2_000
/** Assets per `resources/list` page. */
export const RESOURCE_PAGE_SIZE = 100
/** Bytes of one `resources/read` answer; N-Quads past it are cut at a line boundary (`_meta.truncated`). */
export const MAX_RESOURCE_BYTES = 1024 * 1024
/** Resource URIs of assets: `cairn://asset/<encodeURIComponent(UAL)>`. */
export const ASSET_URI_PREFIX = 'cairn://asset/'
/** `get_schema`: most classes and predicates listed (the rest are counted in `omitted`). */
export const SCHEMA_MAX_CLASSES = 100
export const SCHEMA_MAX_PREDICATES = 200
/** `get_schema`: rows of the per-(predicate, kind/class) breakdown queries. */
export const SCHEMA_MAX_BREAKDOWN_ROWS = 5_000
/** `get_schema`: example literals longer than this are shortened (they illustrate, they are not data). */
export const SCHEMA_EXAMPLE_CHARS = 80
/** `retrieve`: most entity IRIs an agent may pass. */
export const MAX_RETRIEVE_ENTITIES = 20
/** Largest query text `sparql_query` accepts. */
export const MAX_QUERY_CHARS = 100_000
