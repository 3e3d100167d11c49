import type { Quad } from '@rdfjs/types'
import { CairnError } from '../errors.js'
import {
  assertBundle, buildMerkleTree, citationBuilder, inclusionProof, leafHash, toHex, verifyAnchorProof, verifyBundle
} from '../proof/index.js'
import type { AnchorProof, AssetBundle, BundleReport, Citation, CitationLeaf, Receipt } from '../proof/index.js'
import { deskolemizeLine, parseLine, tripleToLine } from '../rdf/index.js'
import type { AssetRecord, Page, VersionRecord } from '../store/index.js'
import { GroupCommitter } from './group-committer.js'
import type {
  AssetContent, AssetService, AssetServiceComponents, AssetServiceInit, CitedTriple, ImportResult, PublishResult, RdfInput, TripleQuery
} from './index.js'
import { prepareAndSignGraphs, prepareGraphs, prepareSignedVersion, readyVersion, signVersion } from './prepare.js'
import type { PrepareOptions, ReadyVersion, SignedVersion } from './prepare.js'
import { parseUal } from './ual.js'

export const DEFAULT_MAX_TRIPLES = 100_000
export const DEFAULT_TIMESTAMP_SKEW_MS = 10 * 60_000
export const DEFAULT_MAX_GROUP_SIZE = 1_000
/** Versions kept ready to cite: rebuilding one costs a read of its leaf hashes, a hash per leaf and the anchor's checks. */
const CITED_VERSIONS = 64

/**
 * What citing a version needs besides the triple: the hex of every node of its merkle tree, level by level, and a
 * builder holding its checked claim and anchor. Hex only: the upper nodes are in the proof of every triple, and a
 * cached tree of byte arrays plus their hex was three times the objects for the garbage collector to carry.
 */
interface CitingVersion {
  hexLevels: string[][]
  build: (leaf: CitationLeaf) => Citation
}


export class DefaultAssetService implements AssetService {
  private readonly init: Required<Omit<AssetServiceInit, 'publisherAllowList'>> & { publisherAllowList: Set<string> }
  private readonly components: AssetServiceComponents
  private readonly committer: GroupCommitter
  private readonly cited = new Map<number, CitingVersion>()

  constructor (init: AssetServiceInit, components: AssetServiceComponents) {
    this.init = {
      network: init.network,
      maxTriples: init.maxTriples ?? DEFAULT_MAX_TRIPLES,
      allowRemoteContexts: init.allowRemoteContexts ?? false,
      publisherAllowList: new Set(init.publisherAllowList ?? []),
      timestampSkewMs: init.timestampSkewMs ?? DEFAULT_TIMESTAMP_SKEW_MS,
      maxGroupSize: init.maxGroupSize ?? DEFAULT_MAX_GROUP_SIZE
    }
    this.components = components
    this.committer = new GroupCommitter(components.store, components.anchor, this.init.maxGroupSize, components.onCommitted)
  }

  private get prepareOptions (): PrepareOptions {
    return { maxTriples: this.init.maxTriples, allowRemoteContexts: this.init.allowRemoteContexts }
  }

  async publishRdf (input: RdfInput): Promise<PublishResult[]> {
    const { prepare, nodeSigner } = this.components
    const network = this.init.network
    const ready = prepare !== undefined && prepare.signerAddress === nodeSigner.address
      ? await prepare.prepareAndSign(input, this.prepareOptions, network)
      : prepare !== undefined
        ? (await prepare.prepareGraphs(input, this.prepareOptions)).map((prepared) => readyVersion(signVersion(prepared, { signer: nodeSigner, network }), prepared))
        : await prepareAndSignGraphs(input, this.prepareOptions, { signer: nodeSigner, network })
    return await this.commit(ready)
  }

  async updateRdf (ual: string, input: RdfInput): Promise<PublishResult> {
    const parsed = parseUal(ual)
    const { prepare } = this.components
    const graphs = prepare === undefined ? await prepareGraphs(input, this.prepareOptions) : await prepare.prepareGraphs(input, this.prepareOptions)
    if (graphs.length !== 1) {
      throw new CairnError('API_BAD_REQUEST', `update: an update carries one graph; the input has ${graphs.length}`, { details: { graphs: graphs.length } })
    }
    const current = this.currentVersion(parsed.ual)
    const signer = this.components.nodeSigner
    if (parsed.publisher !== signer.address) {
      throw new CairnError('ASSET_NOT_PUBLISHER', `update: ${parsed.ual} belongs to ${parsed.publisher}; the node key ${signer.address} cannot update it — sign the update with the publisher's key (cairn update --key)`,
        { details: { ual: parsed.ual, publisher: parsed.publisher } })
    }
    const sv = signVersion(graphs[0], {
      signer, network: this.init.network, ual: parsed.ual, version: current.version + 1, previousRoot: current.root
    })
    const [result] = await this.commit([readyVersion(sv, graphs[0])])
    return result
  }

  async publishSigned (versions: SignedVersion[]): Promise<PublishResult[]> {
    if (versions.length === 0) throw new CairnError('API_BAD_REQUEST', 'publish: no versions given')
    const now = Date.now()
    // A loop of check-then-prepare stops at the first failure of either kind; so the versions before the first
    // policy failure are prepared, and their first error (if any) wins over the policy error.
    let checked = versions.length
    let policyError: unknown
    for (let i = 0; i < versions.length; i++) {
      try {
        this.checkPolicy(versions[i], now)
      } catch (err) {
        checked = i
        policyError = err
        break
      }
    }
    const ready = await this.prepareSigned(versions.slice(0, checked))
    if (checked < versions.length) throw policyError
    return await this.commit(ready)
  }

  private async prepareSigned (versions: SignedVersion[]): Promise<ReadyVersion[]> {
    const { prepare } = this.components
    if (prepare !== undefined) return await prepare.prepareSignedVersions(versions, this.prepareOptions)
    const out: ReadyVersion[] = []
    for (const sv of versions) out.push(readyVersion(sv, await prepareSignedVersion(sv, this.prepareOptions)))
    return out
  }

  private checkPolicy (sv: SignedVersion, now: number): void {
    const ual = parseUal(sv.ual)
    if (ual.network !== this.init.network) {
      throw new CairnError('ASSET_NETWORK_MISMATCH', `publish: ${sv.ual} is on network "${ual.network}"; this node serves "${this.init.network}"`)
    }
    if (this.init.publisherAllowList.size > 0 && !this.init.publisherAllowList.has(sv.publisher)) {
      throw new CairnError('ASSET_PUBLISHER_NOT_ALLOWED', `publish: ${sv.publisher} is not on this node's publisher allow-list`, { details: { publisher: sv.publisher } })
    }
    const time = Date.parse(sv.timestamp)
    if (Number.isNaN(time) || Math.abs(now - time) > this.init.timestampSkewMs) {
      throw new CairnError('ASSET_BAD_TIMESTAMP', `publish: signed timestamp ${sv.timestamp} is more than ${this.init.timestampSkewMs / 1000}s from the node's clock; check your clock`,
        { details: { timestamp: sv.timestamp } })
    }
  }

  /** All versions of one bundle in one savepoint: all-or-nothing, committed with the other bundles in a group. */
  async importBundles (bundles: AssetBundle[]): Promise<ImportResult[]> {
    // Every bundle is verified first (concurrently, in the pool), then all their commits are queued in one turn, so
    // they share one group commit instead of trickling in one by one as verifications finish (a commit of a few
    // assets costs 2-3x as much per asset as one of 64).
    const checked = await Promise.all(bundles.map(async (bundle) => {
      try {
        return { bundle, store: await this.checkBundle(bundle) }
      } catch (error) {
        return { bundle, error }
      }
    }))
    return await Promise.all(checked.map(async (c) => {
      try {
        if (c.store === undefined) throw c.error
        return { ual: c.bundle.ual, stored: await c.store() }
      } catch (err) {
        const error = err instanceof CairnError ? err : new CairnError('PROOF_MALFORMED', `import: ${(err as Error).message}`, { cause: err })
        return { ual: String((c.bundle as { ual?: unknown })?.ual), stored: 0, error }
      }
    }))
  }

  /**
   * A bundle from a peer. Each version this node lacks is checked like a signed publish — re-canonicalized, its
   * root recomputed and its signature verified, in the prepare pool — and its anchor proof is verified here; the
   * commit then enforces the chain (numbering, previous roots). Versions already held must have the same roots.
   * Resolves to the commit still to run, which resolves to the number of versions stored.
   */
  private async checkBundle (bundle: AssetBundle): Promise<() => Promise<number>> {
    assertBundle(bundle)
    const ual = parseUal(bundle.ual)
    if (ual.network !== this.init.network) {
      throw new CairnError('ASSET_NETWORK_MISMATCH', `import: ${bundle.ual} is on network "${ual.network}"; this node serves "${this.init.network}"`)
    }
    if (this.init.publisherAllowList.size > 0 && !this.init.publisherAllowList.has(bundle.publisher)) {
      throw new CairnError('ASSET_PUBLISHER_NOT_ALLOWED', `import: ${bundle.publisher} is not on this node's publisher allow-list`, { details: { publisher: bundle.publisher } })
    }
    const local = this.components.store.listVersions(ual.ual)
    for (const v of bundle.versions) {
      const mine = local[v.version - 1]
      if (mine !== undefined && mine.root !== v.root) {
        throw new CairnError('ASSET_VERSION_CONFLICT', `import: ${bundle.ual} v${v.version} has root ${v.root} here ${mine.root}: a fork`, { details: { ual: bundle.ual, version: v.version } })
      }
    }
    const fresh = bundle.versions.filter((v) => v.version > local.length)
    if (fresh.length === 0) return async () => 0
    for (const v of fresh) {
      const anchored = verifyAnchorProof(v.anchor, v.root)
      if (!anchored.ok) throw new CairnError(anchored.code, `import: ${bundle.ual} v${v.version} does not verify: ${anchored.reason}`, { details: { ual: bundle.ual, version: v.version } })
    }
    const ready = await this.prepareSigned(fresh.map((v) => ({
      ual: bundle.ual, version: v.version, publisher: bundle.publisher, root: v.root, previousRoot: v.previousRoot,
      timestamp: v.timestamp, signature: v.signature, sourceName: v.sourceName, lines: v.lines
    }))).catch((err: unknown) => {
      if (!(err instanceof CairnError)) throw err
      throw new CairnError(err.key, `import: ${bundle.ual} does not verify: ${err.message}`, { ...(err.details === undefined ? {} : { details: err.details }), cause: err })
    })
    return async () => {
      const results = await this.commit(ready.map((r, i) => ({ ...r, anchor: fresh[i].anchor })))
      return results.filter((r) => r.status === 'created').length
    }
  }

  private async commit (ready: Array<ReadyVersion & { anchor?: AnchorProof }>): Promise<PublishResult[]> {
    const { store } = this.components
    const records = await this.committer.commit(() => ready.map(({ sv, prepared, quads, anchor }) => {
      const asset = store.getAsset(sv.ual)
      if (sv.version === 1 && asset !== undefined) {
        // The UAL is derived from publisher + root: an existing asset is this very content again.
        return { record: this.mustVersion(sv.ual, 1), status: 'existing' as const }
      }
      if (sv.version > 1) {
        if (asset === undefined) throw new CairnError('ASSET_NOT_FOUND', `update: no asset ${sv.ual}; publish it first`, { details: { ual: sv.ual } })
        const current = this.mustVersion(sv.ual, asset.currentVersion)
        if (sv.root === current.root && sv.previousRoot === current.previousRoot) return { record: current, status: 'existing' as const }
        if (sv.version !== current.version + 1 || sv.previousRoot !== current.root) {
          throw new CairnError('ASSET_VERSION_CONFLICT', `update: ${sv.ual} is at version ${current.version} (root ${current.root}); sign version ${current.version + 1} with that previous root`,
            { details: { ual: sv.ual, current: current.version, root: current.root } })
        }
        if (Date.parse(sv.timestamp) < Date.parse(current.timestamp)) {
          throw new CairnError('ASSET_BAD_TIMESTAMP', `update: timestamp ${sv.timestamp} is before version ${current.version}'s ${current.timestamp}`)
        }
      } else if (sv.previousRoot !== null) {
        throw new CairnError('ASSET_VERSION_CONFLICT', 'publish: version 1 has no previous root')
      }
      const parsed = parseUal(sv.ual)
      const record = store.insertVersion({
        ual: sv.ual,
        network: parsed.network,
        publisher: sv.publisher,
        assetId: parsed.assetId,
        version: sv.version,
        root: sv.root,
        previousRoot: sv.previousRoot,
        signature: sv.signature,
        timestamp: sv.timestamp,
        sourceName: sv.sourceName ?? null,
        leafHashes: prepared.leafHashes,
        quads,
        ...(anchor === undefined ? {} : { anchor })
      })
      return { record, status: 'created' as const, lines: prepared.lines }
    }))
    return records.map(({ record, status }) => toResult(record, status))
  }

  private currentVersion (ual: string): VersionRecord {
    const version = this.components.store.getVersion(ual)
    if (version === undefined) throw new CairnError('ASSET_NOT_FOUND', `no asset ${ual} on this node`, { details: { ual } })
    return version
  }

  private mustVersion (ual: string, version?: number): VersionRecord {
    if (version === undefined) return this.currentVersion(ual)
    const record = this.components.store.getVersion(ual, version)
    if (record === undefined) {
      this.currentVersion(ual)
      throw new CairnError('ASSET_VERSION_NOT_FOUND', `${ual} has no version ${version}`, { details: { ual, version } })
    }
    return record
  }

  list (options: { publisher?: string, after?: string, limit: number }): Page<AssetRecord> {
    return this.components.store.listAssets(options)
  }

  get (ual: string, version?: number): AssetContent {
    const parsed = parseUal(ual)
    const record = this.mustVersion(parsed.ual, version ?? parsed.version)
    return { version: record, quads: this.components.store.getQuads(record.id) }
  }

  history (ual: string): VersionRecord[] {
    const parsed = parseUal(ual)
    this.currentVersion(parsed.ual)
    return this.components.store.listVersions(parsed.ual)
  }

  proof (ual: string, triple: TripleQuery, version?: number): Citation {
    const parsed = parseUal(ual)
    const record = this.mustVersion(parsed.ual, version ?? parsed.version)
    const wanted = parseTripleQuery(triple)
    const index = this.components.store.findLeafIndex(record.id, wanted)
    if (index === undefined) {
      throw new CairnError('ASSET_TRIPLE_NOT_FOUND', `${record.versionIri} holds no triple ${tripleToLine(wanted.subject, wanted.predicate, wanted.object)}`,
        { details: { ual: parsed.ual, version: record.version } })
    }
    // findLeafIndex matched every term exactly (value, datatype, language), so `wanted` is the stored triple.
    return this.citationFor(record, { leafIndex: index, subject: wanted.subject, predicate: wanted.predicate, object: wanted.object })
  }

  citationFor (record: VersionRecord, cited: CitedTriple): Citation {
    const { hexLevels, build } = this.citing(record)
    const triple = tripleToLine(cited.subject, cited.predicate, cited.object)
    return build({
      triple,
      canonical: deskolemizeLine(triple, record.versionIri),
      leafIndex: cited.leafIndex,
      leafHash: hexLevels[0][cited.leafIndex],
      proof: inclusionProof({ levels: hexLevels }, cited.leafIndex)
    })
  }

  /** A version's merkle tree and citation builder: made on its first citation, then reused (least recently used out). */
  private citing (record: VersionRecord): CitingVersion {
    let entry = this.cited.get(record.id)
    if (entry === undefined) {
      const anchor = record.anchor
      if (anchor === null) throw new CairnError('ANCHOR_NOT_FOUND', `${record.versionIri} is not anchored yet; retry shortly`)
      entry = {
        hexLevels: buildMerkleTree(this.components.store.getLeafHashes(record.id)).levels.map((level) => level.map(toHex)),
        build: citationBuilder({ ...record, anchor })
      }
      if (this.cited.size >= CITED_VERSIONS) this.cited.delete(this.cited.keys().next().value as number)
    } else {
      this.cited.delete(record.id)
    }
    this.cited.set(record.id, entry)
    return entry
  }

  bundle (ual: string): AssetBundle {
    const versions = this.history(ual)
    const asset = parseUal(ual)
    return {
      format: 'cairn-bundle/1',
      ual: asset.ual,
      network: asset.network,
      publisher: asset.publisher,
      assetId: asset.assetId,
      versions: versions.map((v) => {
        if (v.anchor === null) throw new CairnError('ANCHOR_NOT_FOUND', `${v.versionIri} is not anchored yet; retry shortly`)
        return {
          version: v.version,
          root: v.root,
          previousRoot: v.previousRoot,
          timestamp: v.timestamp,
          signature: v.signature,
          sourceName: v.sourceName,
          lines: this.components.store.getQuads(v.id).map((q) => deskolemizeLine(tripleToLine(q.subject, q.predicate, q.object), v.versionIri)),
          anchor: v.anchor
        }
      })
    }
  }

  receipts (version: VersionRecord): Receipt[] {
    return this.components.store.listReceipts(version.id)
  }

  verify (ual: string): BundleReport {
    const bundle = this.bundle(ual)
    const report = verifyBundle(bundle)
    // The bundle is rebuilt from the stored quads; also check the stored leaf hashes that proofs are served from.
    const records = this.history(ual)
    records.forEach((record, i) => {
      const stored = this.components.store.getLeafHashes(record.id).map(toHex)
      const computed = bundle.versions[i].lines.map((line) => toHex(leafHash(line)))
      const entry = report.versions[i]
      if (entry.ok && (stored.length !== computed.length || stored.some((h, j) => h !== computed[j]))) {
        entry.ok = false
        entry.checks.root = false
        entry.code = 'PROOF_LEAF_MISMATCH'
        entry.reason = 'stored leaf hashes differ from the stored triples'
        report.ok = false
      }
    })
    return report
  }
}

function toResult (r: VersionRecord, status: 'created' | 'existing'): PublishResult {
  return {
    ual: r.ual,
    version: r.version,
    root: r.root,
    previousRoot: r.previousRoot,
    publisher: r.publisher,
    signature: r.signature,
    timestamp: r.timestamp,
    sourceName: r.sourceName,
    tripleCount: r.tripleCount,
    anchor: r.anchor,
    status
  }
}

/** Terms as N-Triples (`<iri>`, `"lit"@en`, `"5"^^<…>`) or, for IRIs, bare. */
function parseTripleQuery (t: TripleQuery): Quad {
  const term = (value: string, name: string): string => {
    const v = value.trim()
    if (v === '') throw new CairnError('API_BAD_REQUEST', `proof: ${name} is required`)
    return v.startsWith('<') || v.startsWith('"') || v.startsWith('_:') ? v : `<${v}>`
  }
  try {
    return parseLine(`${term(t.subject, 'subject')} ${term(t.predicate, 'predicate')} ${term(t.object, 'object')} .`)
  } catch (err) {
    if (err instanceof CairnError && err.key === 'API_BAD_REQUEST') throw err
    throw new CairnError('API_BAD_REQUEST', 'proof: subject/predicate/object must be N-Triples terms (<iri>, "literal"@lang, "v"^^<datatype>) or bare IRIs', { cause: err })
  }
}

