import type { IncomingMessage } from 'node:http'
import type { Request, RequestHandler } from 'express'
import type { Signer } from '../asset/index.js'
import { bodyHash, formatResponseSignature, requestHash, responseMessage, toHex } from '../proof/index.js'

export const SIGNATURE_HEADER = 'Cairn-Signature'

/** Body parsers' `verify` hook: keep the exact request bytes, which the response signature covers. */
export function keepRawBody (req: IncomingMessage, _res: unknown, buf: Buffer): void {
  (req as IncomingMessage & { rawBody?: Buffer }).rawBody = buf
}

/**
 * The request hash (docs/api.md#signed-responses) of an express request whose body, if any, a parser kept with
 * {@link keepRawBody}: what the response signature covers and the contribution ledger records.
 */
export function requestHashOf (req: Request): string {
  const raw = (req as Request & { rawBody?: Buffer }).rawBody
  return requestHash(req.method, req.originalUrl, raw === undefined ? undefined : new Uint8Array(raw))
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
      const unsigned = {
        node: signer.address,
        request: requestHashOf(req),
        body: bodyHash(new Uint8Array(bytes)),
        time: new Date().toISOString()
      }
      res.set(SIGNATURE_HEADER, formatResponseSignature({ ...unsigned, sig: toHex(signer.sign(responseMessage(unsigned))) }))
      return send(bytes)
    }
    next()
  }
}
