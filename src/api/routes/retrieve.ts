import express, { Router } from 'express'
import { CairnError } from '../../errors.js'
import { RETRIEVE_BODY_LIMIT, parseRetrieveRequest } from '../../rag/index.js'
import type { Retriever } from '../../rag/index.js'
import { keepRawBody, requestHashOf } from '../response-signing.js'

export interface RetrieveRouterComponents {
  retriever: Retriever
}

/**
 * POST /retrieve: a JSON question and/or entities in, ranked cited facts and a context block out (docs/retrieval.md).
 * The answer is signed (Cairn-Signature, mounted in createApp); the same request hash goes into the contribution
 * ledger with each citation served.
 */
export function createRetrieveRouter ({ retriever }: RetrieveRouterComponents): Router {
  const router = Router()
  const body = express.json({ limit: RETRIEVE_BODY_LIMIT, strict: true, type: () => true, verify: keepRawBody })

  router.post('/retrieve', (req, _res, next) => {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
    if (type !== 'application/json') {
      next(new CairnError('API_UNSUPPORTED_MEDIA_TYPE', `retrieve: send the request as application/json, got ${type === '' ? 'no Content-Type' : type}`))
      return
    }
    next()
  }, body, async (req, res) => {
    const request = parseRetrieveRequest(req.body)
    const answer = await retriever.retrieve(request, { interface: 'rest', requestHash: requestHashOf(req) })
    res.json(answer)
  })

  return router
}
