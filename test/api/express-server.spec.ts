import { once } from 'node:events'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { describe, expect, it } from 'vitest'
import { createExpressServer } from '../../src/api/index.js'

describe('createExpressServer', () => {
  it('creates requests and responses with the app\'s own prototypes, so express does not re-prototype them', async () => {
    const app = express()
    app.get('/echo', (req, res) => { res.set('x-path', req.path).json({ query: req.query, app: req.app === app }) })
    const server = createExpressServer(app)
    const seen: boolean[] = []
    // Runs before the app: the objects as Node created them.
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      seen.push(Object.getPrototypeOf(req) === app.request, Object.getPrototypeOf(res) === app.response)
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const res = await fetch(`${url}/echo?a=1`)
      expect(res.status).toBe(200)
      expect(res.headers.get('x-path')).toBe('/echo')
      expect(await res.json()).toEqual({ query: { a: '1' }, app: true })
      expect((await fetch(`${url}/missing`)).status).toBe(404)
      expect(seen).toEqual([true, true, true, true])
    } finally {
      server.closeAllConnections()
      server.close()
    }
  })
})
