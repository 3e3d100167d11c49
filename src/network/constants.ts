/** The replication protocol; its messages and rules are specified in docs/protocol.md. A new major version gets a new id. */
export const REPLICATE_PROTOCOL = '/cairn/replicate/1.0.0'
/** Version field inside every message; a peer answering another version is rejected. */
export const PROTOCOL_VERSION = 1
/**
 * Largest length-prefixed frame. A bundle of one asset holds ≤ maxTriples (default 100,000) lines per version;
 * 32 MiB bounds a frame while fitting a 100k-triple asset of ordinary line length.
 */
export const MAX_FRAME_BYTES = 32 * 1024 * 1024
/** Whole request/response exchange on one stream. */
export const STREAM_TIMEOUT_MS = 20_000
/** Default replication factor R: an asset lives on the R peers closest to sha256(UAL). */
export const DEFAULT_REPLICATION_FACTOR = 3
/** Versions listed per sync page (anti-entropy); bounded so a catch-up is resumable page by page. */
export const SYNC_PAGE_SIZE = 500
/**
 * Fetch requests in flight to one peer during a sync round. Two keep both ends busy — the peer reads out the next
 * 64 bundles while this node verifies and stores the previous ones — without queueing much work on either.
 */
export const SYNC_FETCH_CONCURRENCY = 2
/** How often a node pulls what it missed from its peers. */
export const SYNC_INTERVAL_MS = 30_000
/** How often a node re-dials bootstrap peers it is not connected to (libp2p's bootstrap module dials only once). */
export const BOOTSTRAP_REDIAL_MS = 5_000
/** Score a peer starts with, and what a rejected message costs it. Peers at or below 0 are not used. */
export const INITIAL_SCORE = 100
export const PENALTY_INVALID = 50
export const PENALTY_UNREACHABLE = 5
