import type { IncomingMessage } from 'node:http'
import type { RequestHandler } from 'express'
import type { Signer } from '../asset/index.js'
import { bodyHash, formatResponseSignature, requestHash, responseMessage, toHex } from '../proof/index.js'

export const SIGNATURE_HEADER = 'Cairn-Signature'

/** Body parsers' `verify` hook: keep the exact request bytes, which the response signature covers. */
export function keepRawBody (req: IncomingMessage, _res: unknown, buf: Buffer): void {
  (req as IncomingMessage & { rawBody?: Buffer }).rawBody = buf
}

/**
 * Sign every answer of these routes with the node key (docs/api.md#signed-responses): the node vouches for which
 * bytes it answered to which request, so an agent can hold it to them later (`cairn verify-response`).
 */
export function signResponses (signer: Signer): RequestHandler {
  return (req, res, next) => {
    const send = res.send.bind(res)
    res.send = (body?: unknown) => {
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body ?? ''), 'utf8')
      const raw = (req as typeof req & { rawBody?: Buffer }).rawBody
      const unsigned = {
        node: signer.address,
        request: requestHash(req.method, req.originalUrl, raw === undefined ? undefined : new Uint8Array(raw)),
        body: bodyHash(new Uint8Array(bytes)),
        time: new Date().toISOString()
      }
      res.set(SIGNATURE_HEADER, formatResponseSignature({ ...unsigned, sig: toHex(signer.sign(responseMessage(unsigned))) }))
      return send(bytes)
    }
    next()
  }
}
