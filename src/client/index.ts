/**
 * A typed HTTP client for a Cairn node (the CLI uses it). Errors come back as {@link CairnError}s rebuilt from the
 * node's problem+json bodies, with the same `CAIRN_*` codes.
 *
 * @packageDocumentation
 * @example
 * ```ts
 * const client = createCairnClient({ url: 'http://127.0.0.1:8900', token })
 * const [asset] = await client.publishRdf(turtle, 'turtle')
 * const citation = await client.proof(asset.ual, { subject, predicate, object })
 * ```
 */
import type { PublishResult, SignedVersion } from '../asset/index.js'
import { CairnError, errorFromProblem } from '../errors.js'
import type { AssetBundle, BundleReport, Citation } from '../proof/index.js'
import type { RdfFormat } from '../rdf/index.js'
import { contentTypeOf } from '../rdf/index.js'
import type { PeerView, SyncReport } from '../network/index.js'
import type { ContributionQuery, ContributionSummary, RetrieveRequest, RetrieveResponse } from '../rag/index.js'
import type { AssetRecord, Page, VersionRecord } from '../store/index.js'

export const SIGNED_CONTENT_TYPE = 'application/vnd.cairn.signed+json'

export interface CairnClientInit {
  /** Base URL of the node, e.g. http://127.0.0.1:8900 */
  url: string
  /** API token for unsigned writes. */
  token?: string
  /** Per-request timeout in ms (default 60 s). */
  timeoutMs?: number
}

export type VersionView = Omit<VersionRecord, 'id'>

/** An answer the node signed (`Cairn-Signature`), with what is needed to check it later (`verifyResponse`). */
export interface SignedAnswer {
  body: string
  contentType: string
  /** The Cairn-Signature header, or null if the node sent none. */
  signature: string | null
  /** The request exactly as sent: what the signature's request hash covers. */
  request: { method: string, pathAndQuery: string, body: string }
}

export interface CairnClient {
  publishRdf (text: string, format: RdfFormat, options?: { base?: string }): Promise<PublishResult[]>
  publishSigned (versions: SignedVersion[]): Promise<PublishResult[]>
  updateRdf (ual: string, text: string, format: RdfFormat, options?: { base?: string }): Promise<PublishResult>
  updateSigned (version: SignedVersion): Promise<PublishResult>
  get (ual: string, options?: { format?: RdfFormat, version?: number }): Promise<string>
  list (options?: { publisher?: string, after?: string, limit?: number }): Promise<Page<AssetRecord>>
  history (ual: string): Promise<{ ual: string, versions: VersionView[] }>
  proof (ual: string, triple: { subject: string, predicate: string, object: string }, version?: number): Promise<Citation>
  bundle (ual: string): Promise<AssetBundle>
  verify (ual: string): Promise<BundleReport>
  health (): Promise<{ status: string, network: string, node: string }>
  peers (): Promise<{ self: string, peers: PeerView[] }>
  self (): Promise<{ peerId: string, multiaddrs: string[] }>
  /** Run one anti-entropy round on the node now (needs the token). */
  sync (): Promise<SyncReport>
  /** SPARQL 1.1 Protocol query; `accept` picks the result format. Returns the body and the truncation signal. */
  sparql (query: string, options?: { accept?: string, timeoutMs?: number }): Promise<SignedAnswer & { rows: number, truncated: boolean }>
  /** POST /retrieve: cited facts and a context block; `signed` keeps the exact bytes the node signed (verifyResponse). */
  retrieve (request: RetrieveRequest): Promise<{ answer: RetrieveResponse, signed: SignedAnswer }>
  /** GET /contributions as JSON: citations served per publisher and asset in a window. */
  contributions (query?: ContributionQuery): Promise<ContributionSummary>
  /** GET /contributions?format=csv: the same counts as CSV with a header row. */
  contributionsCsv (query?: ContributionQuery): Promise<string>
}

export function createCairnClient (init: CairnClientInit): CairnClient {
  const base = init.url.replace(/\/+$/, '')
  const timeoutMs = init.timeoutMs ?? 60_000
  const asset = (ual: string, suffix = ''): string => `${base}/assets/${encodeURIComponent(ual)}${suffix}`
  const query = (params: Record<string, string | number | undefined>): string => {
    const q = new URLSearchParams()
    for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v))
    const s = q.toString()
    return s === '' ? '' : `?${s}`
  }

  async function request (url: string, options: { method?: string, body?: string, contentType?: string, auth?: boolean, accept?: string } = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: options.accept ?? 'application/json' }
    if (options.contentType !== undefined) headers['content-type'] = options.contentType
    if (options.auth === true && init.token !== undefined) headers.authorization = `Bearer ${init.token}`
    let res: Response
    try {
      res = await fetch(url, { method: options.method ?? 'GET', headers, body: options.body, signal: AbortSignal.timeout(timeoutMs) })
    } catch (err) {
      throw new CairnError('NET_PEER_UNREACHABLE', `cannot reach the node at ${base}: ${(err as Error).message}; is it running (npm start) and is the URL right (--node / CAIRN_URL)?`, { cause: err })
    }
    if (!res.ok) {
      const text = await res.text()
      let problem: Record<string, unknown> = {}
      try { problem = JSON.parse(text) as Record<string, unknown> } catch { problem = { detail: `HTTP ${res.status}: ${text.slice(0, 200)}` } }
      throw errorFromProblem(problem)
    }
    return res
  }
  const json = async <T>(url: string, options?: Parameters<typeof request>[1]): Promise<T> => await (await request(url, options)).json() as T

  return {
    async publishRdf (text, format, options = {}) {
      const body = await json<{ assets: PublishResult[] }>(`${base}/assets${query({ base: options.base })}`, { method: 'POST', body: text, contentType: contentTypeOf(format), auth: true })
      return body.assets
    },
    async publishSigned (versions) {
      const body = await json<{ assets: PublishResult[] }>(`${base}/assets`, { method: 'POST', body: JSON.stringify({ versions }), contentType: SIGNED_CONTENT_TYPE })
      return body.assets
    },
    async updateRdf (ual, text, format, options = {}) {
      return await json<PublishResult>(asset(ual, `/versions${query({ base: options.base })}`), { method: 'POST', body: text, contentType: contentTypeOf(format), auth: true })
    },
    async updateSigned (version) {
      return await json<PublishResult>(asset(version.ual, '/versions'), { method: 'POST', body: JSON.stringify({ versions: [version] }), contentType: SIGNED_CONTENT_TYPE })
    },
    async get (ual, options = {}) {
      const res = await request(asset(ual, query({ format: options.format, version: options.version })), { accept: '*/*' })
      return await res.text()
    },
    async list (options = {}) {
      return await json(`${base}/assets${query({ publisher: options.publisher, after: options.after, limit: options.limit })}`)
    },
    async history (ual) {
      return await json(asset(ual, '/history'))
    },
    async proof (ual, triple, version) {
      return await json(asset(ual, `/proof${query({ ...triple, version })}`))
    },
    async bundle (ual) {
      return await json(asset(ual, '/bundle'))
    },
    async verify (ual) {
      return await json(asset(ual, '/verify'))
    },
    async health () {
      return await json(`${base}/healthz`)
    },
    async peers () {
      return await json(`${base}/peers`)
    },
    async self () {
      return await json(`${base}/peers/self`)
    },
    async sync () {
      return await json(`${base}/sync`, { method: 'POST', auth: true })
    },
    async sparql (query, options = {}) {
      const pathAndQuery = `/sparql${options.timeoutMs === undefined ? '' : `?timeout=${options.timeoutMs}`}`
      const res = await request(`${base}${pathAndQuery}`, {
        method: 'POST', body: query, contentType: 'application/sparql-query', accept: options.accept ?? 'application/sparql-results+json, text/turtle;q=0.9'
      })
      return {
        body: await res.text(),
        contentType: res.headers.get('content-type') ?? '',
        signature: res.headers.get('cairn-signature'),
        request: { method: 'POST', pathAndQuery, body: query },
        rows: Number(res.headers.get('cairn-rows') ?? 0),
        truncated: res.headers.get('cairn-truncated') === 'true'
      }
    },
    async retrieve (retrieveRequest) {
      const body = JSON.stringify(retrieveRequest)
      const res = await request(`${base}/retrieve`, { method: 'POST', body, contentType: 'application/json' })
      const text = await res.text()
      return {
        answer: JSON.parse(text) as RetrieveResponse,
        signed: { body: text, contentType: res.headers.get('content-type') ?? '', signature: res.headers.get('cairn-signature'), request: { method: 'POST', pathAndQuery: '/retrieve', body } }
      }
    },
    async contributions (q = {}) {
      return await json(`${base}/contributions${query({ publisher: q.publisher, from: q.from, to: q.to, format: 'json' })}`)
    },
    async contributionsCsv (q = {}) {
      const res = await request(`${base}/contributions${query({ publisher: q.publisher, from: q.from, to: q.to, format: 'csv' })}`, { accept: 'text/csv' })
      return await res.text()
    }
  }
}
