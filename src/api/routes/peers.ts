import { Router } from 'express'
import type { Network } from '../../network/index.js'
import type { Authenticator } from '../auth.js'

export interface PeersRouterComponents {
  network: Network
  auth: Authenticator
}

/** The peer table and sync state of a networked node. */
export function createPeersRouter ({ network, auth }: PeersRouterComponents): Router {
  const router = Router()
  router.get('/peers/self', (_req, res) => {
    res.json({ peerId: network.peerId, multiaddrs: network.multiaddrs() })
  })
  router.get('/peers', (_req, res) => {
    res.json({ self: network.peerId, peers: network.peers() })
  })
  router.get('/sync', (_req, res) => {
    res.json(network.syncStatus())
  })
  // Runs one anti-entropy round now and answers with its report (token: it makes the node do work).
  router.post('/sync', async (req, res) => {
    auth.requireToken(req)
    res.json(await network.sync())
  })
  return router
}
