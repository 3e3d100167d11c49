/** Default query timeout (issue: 10 s, configurable, per-request lower bound allowed). */
export const DEFAULT_QUERY_TIMEOUT_MS = 10_000
/** Default cap on solutions/triples returned by one query. */
export const DEFAULT_MAX_ROWS = 10_000
/** Default cap on the bytes of one serialized result. */
export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024
export const DEFAULT_REPLICAS = 2
export const DEFAULT_MAX_QUEUE = 256
/** N-Quads lines per oxigraph `store.load` call while mirroring: large batches load flat (PERF-NOTES.md). */
export const LOAD_BATCH_LINES = 50_000
/** Progress is logged every this many quads while a replica loads. */
export const PROGRESS_EVERY_QUADS = 250_000
/**
 * Young generation of a replica's JS heap, MiB. A replica's JS work is light (message handling, load batches as
 * text); with V8's default a replica's heap stayed at ~76 MiB after its build, with this at ~50 MiB.
 */
export const REPLICA_YOUNG_GENERATION_MB = 8
