import type { Quad } from '@rdfjs/types'
import { CairnError } from '../errors.js'
import { claimMessage, leafHash, merkleRoot, sortLines, toHex, verifyClaim } from '../proof/index.js'
import type { VersionClaim } from '../proof/index.js'
import { canonicalizeGraph, parseLine, parseRdf, skolemizeLine, splitGraphs, versionIri } from '../rdf/index.js'
import type { RdfFormat } from '../rdf/index.js'
import type { Signer } from './keys.js'
import { parseUal, ualFor } from './ual.js'

/** One graph made ready for signing: canonical leaf lines (sorted, deduplicated), their hashes and the root. */
export interface PreparedGraph {
  sourceName: string | null
  lines: string[]
  leafHashes: Uint8Array[]
  root: string
}

/** What a publisher submits: the signed claim plus the canonical lines it covers. */
export interface SignedVersion extends VersionClaim {
  publisher: string
  signature: string
  sourceName: string | null
  lines: string[]
}

export interface PrepareOptions {
  maxTriples?: number
  allowRemoteContexts?: boolean
}

/** Parse → split into graphs → RDFC-1.0 → leaves → root. One prepared graph per input graph. */
export async function prepareGraphs (input: { text: string, format: RdfFormat, base?: string }, options: PrepareOptions = {}): Promise<PreparedGraph[]> {
  const quads = await parseRdf(input.text, {
    format: input.format,
    ...(input.base === undefined ? {} : { base: input.base }),
    allowRemoteContexts: options.allowRemoteContexts ?? false,
    ...(options.maxTriples === undefined ? {} : { maxTriples: options.maxTriples })
  })
  if (quads.length === 0) throw new CairnError('RDF_EMPTY_GRAPH', 'publish: the input holds no triples; add at least one')
  const groups = splitGraphs(quads)
  const prepared: PreparedGraph[] = []
  for (const group of groups) {
    if (options.maxTriples !== undefined && group.quads.length > options.maxTriples) {
      throw new CairnError('RDF_TOO_MANY_TRIPLES', `publish: graph ${group.name ?? '(default)'} has ${group.quads.length} triples; the limit is ${options.maxTriples}`,
        { details: { max: options.maxTriples, graph: group.name } })
    }
    prepared.push(fromLines(await canonicalizeGraph(group.quads), group.name))
  }
  return prepared
}

function fromLines (lines: string[], sourceName: string | null): PreparedGraph {
  const leafHashes = lines.map(leafHash)
  return { sourceName, lines, leafHashes, root: toHex(merkleRoot(leafHashes)) }
}

export interface SignOptions {
  signer: Signer
  network: string
  /** For updates: the asset's UAL, the new version number and the previous version's root. */
  ual?: string
  version?: number
  previousRoot?: string | null
  timestamp?: string
}

/** Sign a prepared graph as version 1 of a new asset (UAL derived from publisher + root) or as an update. */
export function signVersion (prepared: PreparedGraph, options: SignOptions): SignedVersion {
  const publisher = options.signer.address
  const claim: VersionClaim = {
    ual: options.ual ?? ualFor(options.network, publisher, prepared.root),
    version: options.version ?? 1,
    root: prepared.root,
    previousRoot: options.previousRoot ?? null,
    timestamp: options.timestamp ?? new Date().toISOString()
  }
  return {
    ...claim,
    publisher,
    signature: toHex(options.signer.sign(claimMessage(claim))),
    sourceName: prepared.sourceName,
    lines: prepared.lines
  }
}

/** A signed version ready to be stored: the claim, its prepared graph and the quads the store keeps. */
export interface ReadyVersion {
  sv: SignedVersion
  prepared: PreparedGraph
  /** {@link storeQuads} of the version: skolemized triples in leaf order. */
  quads: Quad[]
}

/**
 * The triples a version is stored as: its canonical lines with blank nodes skolemized under the version IRI, in
 * leaf order (quad i ↔ leaf i).
 */
export function storeQuads (lines: string[], ual: string, version: number): Quad[] {
  const vIri = versionIri(ual, version)
  return lines.map((line) => parseLine(skolemizeLine(line, vIri)))
}

/** A signed version and its prepared graph → ready to store. */
export function readyVersion (sv: SignedVersion, prepared: PreparedGraph): ReadyVersion {
  return { sv, prepared, quads: storeQuads(prepared.lines, sv.ual, sv.version) }
}

/** {@link prepareGraphs} then {@link signVersion} for each graph, as version 1 of a new asset. */
export async function prepareAndSignGraphs (input: { text: string, format: RdfFormat, base?: string }, options: PrepareOptions, sign: SignOptions): Promise<ReadyVersion[]> {
  const graphs = await prepareGraphs(input, options)
  return graphs.map((prepared) => readyVersion(signVersion(prepared, sign), prepared))
}

/**
 * Re-verify a submitted version exactly as a replicating peer would: re-canonicalize its lines, recompute the root,
 * check the UAL names this publisher (and, for version 1, is derived from the root), check the signature.
 */
export async function prepareSignedVersion (sv: SignedVersion, options: PrepareOptions = {}): Promise<PreparedGraph> {
  if (!Array.isArray(sv.lines) || sv.lines.length === 0) throw new CairnError('RDF_EMPTY_GRAPH', `publish: ${sv.ual} v${sv.version} carries no triples`)
  if (options.maxTriples !== undefined && sv.lines.length > options.maxTriples) {
    throw new CairnError('RDF_TOO_MANY_TRIPLES', `publish: ${sv.ual} has ${sv.lines.length} triples; the limit is ${options.maxTriples}`, { details: { max: options.maxTriples } })
  }
  const ual = parseUal(sv.ual)
  if (ual.version !== undefined) throw new CairnError('ASSET_BAD_UAL', `publish: sign the base UAL, not a version UAL (${sv.ual})`)
  if (ual.publisher !== sv.publisher) {
    throw new CairnError('ASSET_NOT_PUBLISHER', `publish: ${sv.ual} belongs to ${ual.publisher}, not ${sv.publisher}`, { details: { ual: sv.ual } })
  }
  const quadsText = sortLines(sv.lines).join('\n') + '\n'
  const quads = await parseRdf(quadsText, { format: 'ntriples' })
  const prepared = fromLines(await canonicalizeGraph(quads), sv.sourceName ?? null)
  if (prepared.root !== sv.root) {
    throw new CairnError('PROOF_ROOT_MISMATCH', `publish: ${sv.ual} v${sv.version} claims root ${sv.root} but its triples hash to ${prepared.root}`,
      { details: { claimed: sv.root, computed: prepared.root } })
  }
  if (sv.version === 1 && ualFor(ual.network, sv.publisher, sv.root) !== sv.ual) {
    throw new CairnError('ASSET_BAD_UAL', `publish: the UAL of a first version must be derived from publisher and root; expected ${ualFor(ual.network, sv.publisher, sv.root)}`)
  }
  const claim: VersionClaim = { ual: sv.ual, version: sv.version, root: sv.root, previousRoot: sv.previousRoot, timestamp: sv.timestamp }
  if (!verifyClaim(claim, sv.signature, sv.publisher)) {
    throw new CairnError('PROOF_BAD_SIGNATURE', `publish: the signature on ${sv.ual} v${sv.version} does not verify for ${sv.publisher}`, { details: { ual: sv.ual, version: sv.version } })
  }
  return prepared
}
