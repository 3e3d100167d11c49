import { timingSafeEqual } from 'node:crypto'
import type { Request } from 'express'
import { CairnError } from '../errors.js'

/** Write access: the node's API token (`Authorization: Bearer <token>`). Client-signed assets need no token. */
export interface Authenticator {
  requireToken (req: Request): void
}

export function createTokenAuthenticator (token: string): Authenticator {
  const expected = Buffer.from(token)
  return {
    requireToken (req) {
      const header = req.headers.authorization ?? ''
      const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7).trim() : '')
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new CairnError('API_UNAUTHORIZED', 'this write needs the node API token (Authorization: Bearer <token>; `cairn token` prints it) or a client-signed body (Content-Type application/vnd.cairn.signed+json)')
      }
    }
  }
}
