import { keccak256, utf8 } from './hash.js'
import { verifySigned } from './claim.js'
import { toHex } from './hex.js'

/**
 * A node's signature over one HTTP answer (POKT-style accountability): who answered, to which request, with which
 * bytes, when. Sent as the `Cairn-Signature` header: `node=<ss58>; request=<hex>; body=<hex>; time=<iso>; sig=<hex>`.
 */
export interface ResponseSignature {
  node: string
  request: string
  body: string
  time: string
  sig: string
}

/** keccak256(utf8("cairn-request-v1\n" + METHOD + "\n" + pathAndQuery + "\n") || body). */
export function requestHash (method: string, pathAndQuery: string, body: Uint8Array = new Uint8Array()): string {
  const head = utf8(`cairn-request-v1\n${method.toUpperCase()}\n${pathAndQuery}\n`)
  const all = new Uint8Array(head.length + body.length)
  all.set(head, 0)
  all.set(body, head.length)
  return toHex(keccak256(all))
}

export function bodyHash (body: Uint8Array): string {
  return toHex(keccak256(body))
}

/** utf8("cairn-response-v1\n" + node + "\n" + request + "\n" + body + "\n" + time) */
export function responseMessage (s: Omit<ResponseSignature, 'sig'>): Uint8Array {
  return utf8(`cairn-response-v1\n${s.node}\n${s.request}\n${s.body}\n${s.time}`)
}

export function formatResponseSignature (s: ResponseSignature): string {
  return `node=${s.node}; request=${s.request}; body=${s.body}; time=${s.time}; sig=${s.sig}`
}

export function parseResponseSignature (header: string): ResponseSignature | undefined {
  const fields = Object.fromEntries(header.split(';').map((part) => {
    const at = part.indexOf('=')
    return [part.slice(0, at).trim(), part.slice(at + 1).trim()]
  }))
  const { node, request, body, time, sig } = fields as Record<string, string | undefined>
  if (node === undefined || request === undefined || body === undefined || time === undefined || sig === undefined) return undefined
  return { node, request, body, time, sig }
}

export interface ResponseCheck {
  ok: boolean
  checks: { signature: boolean, request: boolean, body: boolean }
  node?: string
  time?: string
}

/**
 * Check a `Cairn-Signature` header against the request the client sent and the body it got back. `expectedNode`
 * (an SS58 address), when given, must be the signer.
 */
export function verifyResponse (header: string, request: { method: string, pathAndQuery: string, body?: Uint8Array }, body: Uint8Array, expectedNode?: string): ResponseCheck {
  const s = parseResponseSignature(header)
  if (s === undefined) return { ok: false, checks: { signature: false, request: false, body: false } }
  const checks = {
    signature: verifySigned(responseMessage(s), s.sig, s.node) && (expectedNode === undefined || expectedNode === s.node),
    request: s.request === requestHash(request.method, request.pathAndQuery, request.body),
    body: s.body === bodyHash(body)
  }
  return { ok: checks.signature && checks.request && checks.body, checks, node: s.node, time: s.time }
}
