import express, { Router } from 'express'
import type { Request, Response } from 'express'
import { DataFactory } from 'n3'
import { parseUal } from '../../asset/index.js'
import type { AssetContent, AssetService, PublishResult, SignedVersion } from '../../asset/index.js'
import { CairnError, isCairnError } from '../../errors.js'
import type { Network, ReplicationStatus } from '../../network/index.js'
import type { ContributionLedger } from '../../rag/index.js'
import { RDF_FORMATS, contentTypeOf, formatFromContentType, serializeQuads } from '../../rdf/index.js'
import type { RdfFormat } from '../../rdf/index.js'
import type { VersionRecord } from '../../store/index.js'
import type { Authenticator } from '../auth.js'
import { requestHashOf } from '../response-signing.js'

/** Replication of a new version as a publish reports it. */
export type ReplicationView = ReplicationStatus & { requested: number, met: boolean }

/** Content-Type of a client-signed submission: `{ "versions": SignedVersion[] }`. */
export const SIGNED_JSON = 'application/vnd.cairn.signed+json'
export const MAX_PAGE = 1000

export interface AssetsRouterComponents {
  assets: AssetService
  auth: Authenticator
  bodyLimit: number
  network: Network | undefined
  /** Where citations served by `GET /assets/{ual}/proof` are counted (docs/retrieval.md#contributions). */
  contributions: ContributionLedger
}

/** Longest a publish may wait for replication receipts (`replicationTimeoutMs`). */
export const MAX_REPLICATION_WAIT_MS = 60_000
const DEFAULT_REPLICATION_WAIT_MS = 10_000

export function createAssetsRouter ({ assets, auth, bodyLimit, network, contributions }: AssetsRouterComponents): Router {
  const router = Router()

  /**
   * New versions go to their holders; with `minReplications=k` the answer waits (up to `replicationTimeoutMs`) for
   * k verified receipts and says honestly how many came. A publish succeeds locally whatever the network does.
   */
  const replicate = async (req: Request, results: PublishResult[]): Promise<Array<PublishResult & { replication?: ReplicationView }>> => {
    if (network === undefined) return results
    const min = intParam(req, 'minReplications', 0, 64) ?? 0
    const timeoutMs = intParam(req, 'replicationTimeoutMs', 1, MAX_REPLICATION_WAIT_MS) ?? DEFAULT_REPLICATION_WAIT_MS
    return await Promise.all(results.map(async (r) => {
      if (r.status !== 'created') return r
      const job = network.replicate(r.ual)
      const status = min > 0 ? await job.wait(min, timeoutMs) : job.status()
      return { ...r, replication: { ...status, requested: min, met: status.replicated >= min } }
    }))
  }

  /** The asset from this node, or — when absent and networked — fetched from a holder, verified and cached. */
  const local = async (ual: string, version: number | undefined, res: Response): Promise<AssetContent> => {
    try {
      return assets.get(ual, version)
    } catch (err) {
      if (network === undefined || !isCairnError(err, 'ASSET_NOT_FOUND')) throw err
      const { peer } = await network.fetch(parseUal(ual).ual)
      res.set('Cairn-Source-Peer', peer)
      return assets.get(ual, version)
    }
  }
  // RDF arrives as text in many media types; parse it ourselves by Content-Type.
  const body = express.text({ type: () => true, limit: bodyLimit })

  router.post('/assets', body, async (req, res) => {
    const results = isSigned(req)
      ? await assets.publishSigned(signedVersions(req))
      : (auth.requireToken(req), await assets.publishRdf(rdfInput(req)))
    const created = results.some((r) => r.status === 'created')
    res.status(created ? 201 : 200).json({ assets: await replicate(req, results) })
  })

  router.get('/assets', (req, res) => {
    const limit = pageLimit(req.query.limit)
    const page = assets.list({ limit, ...stringParam(req, 'publisher', 'publisher'), ...stringParam(req, 'after', 'after') })
    res.json(page)
  })

  router.get('/assets/:ual', async (req, res) => {
    const { version, quads } = await local(req.params.ual, versionParam(req), res)
    const format = negotiate(req)
    const graph = DataFactory.namedNode(version.versionIri)
    const withGraph = format === 'trig' || format === 'nquads' ? quads.map((q) => DataFactory.quad(q.subject, q.predicate, q.object, graph)) : quads
    setVersionHeaders(res, version)
    if (network !== undefined) res.set('Cairn-Holders', [network.peerId, ...assets.receipts(version).map((r) => r.peer)].join(', '))
    res.type(contentTypeOf(format)).send(await serializeQuads(withGraph, format))
  })

  router.post('/assets/:ual/versions', body, async (req, res) => {
    const ual = req.params.ual
    if (isSigned(req)) {
      const versions = signedVersions(req)
      if (versions.length !== 1 || versions[0].ual !== ual.replace(/\/v\d+$/, '')) {
        throw new CairnError('API_BAD_REQUEST', `update: send exactly one signed version of ${ual}`)
      }
      const [result] = await replicate(req, await assets.publishSigned(versions))
      res.status(result.status === 'created' ? 201 : 200).json(result)
      return
    }
    auth.requireToken(req)
    const [result] = await replicate(req, [await assets.updateRdf(ual, rdfInput(req))])
    res.status(result.status === 'created' ? 201 : 200).json(result)
  })

  router.get('/assets/:ual/history', (req, res) => {
    const versions = assets.history(req.params.ual)
    res.json({ ual: versions[0].ual, versions: versions.map((v) => ({ ...versionView(v), receipts: assets.receipts(v) })) })
  })

  router.get('/assets/:ual/proof', (req, res) => {
    const q = req.query
    if (typeof q.subject !== 'string' || typeof q.predicate !== 'string' || typeof q.object !== 'string') {
      throw new CairnError('API_BAD_REQUEST', 'proof: give subject, predicate and object (N-Triples terms or bare IRIs) as query parameters')
    }
    const citation = assets.proof(req.params.ual, { subject: q.subject, predicate: q.predicate, object: q.object }, versionParam(req))
    contributions.record([citation], { interface: 'rest', requestHash: requestHashOf(req) })
    res.json(citation)
  })

  router.get('/assets/:ual/bundle', (req, res) => {
    res.json(assets.bundle(req.params.ual))
  })

  router.get('/assets/:ual/verify', (req, res) => {
    const report = assets.verify(req.params.ual)
    res.json(report)
  })

  return router
}

/**
 * curl users paste UALs unencoded: `/assets/did:cairn:local/5F…/ab…/history`. A UAL has a fixed shape
 * (3 path segments, optionally `/vN`), so re-encode it into the one `:ual` segment the routes expect.
 */
export function rawUalRewriter (): express.RequestHandler {
  return (req, _res, next) => {
    const prefix = '/assets/did:cairn:'
    if (req.url.startsWith(prefix)) {
      const [path, query] = splitOnce(req.url, '?')
      const segments = path.slice('/assets/'.length).split('/')
      const take = segments.length > 3 && /^v\d+$/.test(segments[3]) ? 4 : 3
      const ual = segments.slice(0, take).map(decodeURIComponent).join('/')
      const rest = segments.slice(take)
      req.url = `/assets/${encodeURIComponent(ual)}${rest.length > 0 ? '/' + rest.join('/') : ''}${query === undefined ? '' : '?' + query}`
    }
    next()
  }
}

function splitOnce (s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep)
  return i === -1 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)]
}

function isSigned (req: Request): boolean {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase() === SIGNED_JSON
}

function signedVersions (req: Request): SignedVersion[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(String(req.body))
  } catch (err) {
    throw new CairnError('API_BAD_REQUEST', `publish: body is not JSON: ${(err as Error).message}`)
  }
  const versions = (parsed as { versions?: unknown })?.versions
  if (!Array.isArray(versions) || versions.length === 0) {
    throw new CairnError('API_BAD_REQUEST', `publish: a ${SIGNED_JSON} body is { "versions": [ … ] } with at least one signed version`)
  }
  for (const v of versions as Array<Record<string, unknown>>) {
    const ok = typeof v === 'object' && v !== null && typeof v.ual === 'string' && Number.isInteger(v.version) &&
      typeof v.publisher === 'string' && typeof v.root === 'string' && typeof v.signature === 'string' &&
      typeof v.timestamp === 'string' && (v.previousRoot === null || typeof v.previousRoot === 'string') &&
      Array.isArray(v.lines) && (v.lines as unknown[]).every((l) => typeof l === 'string')
    if (!ok) throw new CairnError('API_BAD_REQUEST', 'publish: each signed version needs ual, version, publisher, root, previousRoot, timestamp, signature and lines')
  }
  return versions as SignedVersion[]
}

function rdfInput (req: Request): { text: string, format: RdfFormat, base?: string } {
  const format = formatFromContentType(req.headers['content-type'])
  const text = typeof req.body === 'string' ? req.body : ''
  const base = typeof req.query.base === 'string' ? req.query.base : undefined
  return base === undefined ? { text, format } : { text, format, base }
}

function intParam (req: Request, name: string, min: number, max: number): number | undefined {
  const v = req.query[name]
  if (v === undefined) return undefined
  const n = typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : Number.NaN
  if (Number.isNaN(n) || n < min || n > max) throw new CairnError('API_BAD_REQUEST', `${name} must be a whole number ${min}…${max}`, { details: { parameter: name } })
  return n
}

function versionParam (req: Request): number | undefined {
  const v = req.query.version
  if (v === undefined) return undefined
  const n = typeof v === 'string' && /^[1-9]\d{0,8}$/.test(v) ? Number(v) : Number.NaN
  if (Number.isNaN(n)) throw new CairnError('API_BAD_REQUEST', `version must be a positive integer, got ${JSON.stringify(v)}`)
  return n
}

function pageLimit (v: unknown): number {
  if (v === undefined) return 100
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : Number.NaN
  if (Number.isNaN(n) || n < 1 || n > MAX_PAGE) throw new CairnError('API_LIMIT', `limit must be 1…${MAX_PAGE}`, { details: { max: MAX_PAGE } })
  return n
}

function stringParam<K extends string> (req: Request, name: string, key: K): Partial<Record<K, string>> {
  const v = req.query[name]
  return typeof v === 'string' && v !== '' ? { [key]: v } as Record<K, string> : {}
}

const FORMAT_BY_TYPE: Record<string, RdfFormat> = Object.fromEntries(RDF_FORMATS.map((f) => [contentTypeOf(f), f]))

function negotiate (req: Request): RdfFormat {
  const explicit = req.query.format
  if (typeof explicit === 'string') {
    if (!(RDF_FORMATS as readonly string[]).includes(explicit)) {
      throw new CairnError('API_NOT_ACCEPTABLE', `format must be one of ${RDF_FORMATS.join(', ')}`)
    }
    return explicit as RdfFormat
  }
  // JSON-LD first: it is what a browser or a plain `Accept: */*` client gets.
  const types = ['application/ld+json', ...Object.keys(FORMAT_BY_TYPE).filter((t) => t !== 'application/ld+json'), 'application/json']
  const match = req.accepts(types)
  if (match === false) throw new CairnError('API_NOT_ACCEPTABLE', `cannot serve ${req.headers.accept ?? ''}; accepted: ${types.join(', ')}`)
  return match === 'application/json' ? 'jsonld' : FORMAT_BY_TYPE[match]
}

function setVersionHeaders (res: Response, v: VersionRecord): void {
  res.set('Cairn-UAL', v.ual)
  res.set('Cairn-Version', String(v.version))
  res.set('Cairn-Root', v.root)
  res.set('ETag', `"${v.root}"`)
}

/** History entries: everything about a version but its internal row id. */
export function versionView (v: VersionRecord): Omit<VersionRecord, 'id'> {
  const { id: _id, ...rest } = v
  return rest
}
