// HTTP load for bench/publish.ts, run in a worker thread so the client's own work (sending bodies, reading JSON
// answers) does not run on the node's main thread. Plain JS: a worker entry cannot be TypeScript on Node 20.
// node:http, one connection per request (a 100-graph request dwarfs a TCP handshake): a reused keep-alive socket
// can be closed by the server's keepAliveTimeout while a starved client is slow to send its next request.
import { request } from 'node:http'
import { parentPort, workerData } from 'node:worker_threads'

const { url, token, bodies, contentType, concurrency, compare } = workerData

function post (body) {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/assets`, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': contentType, authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(body), connection: 'close' }
    }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        if (res.statusCode !== 201 && res.statusCode !== 200) {
          reject(new Error(`POST /assets: ${res.statusCode} ${text.slice(0, 500)}`))
          return
        }
        resolve(JSON.parse(text).assets.filter((a) => a.status === 'created').length)
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

parentPort.once('message', async () => {
  const started = performance.now()
  let next = 0
  let created = 0
  let compareMs = 0
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, bodies.length) }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]
        const n = await post(body)
        created += n
        if (compareMs === 0 && created >= compare) {
          compareMs = performance.now() - started
          parentPort.postMessage({ type: 'compare' })
        }
      }
    }))
    parentPort.postMessage({ type: 'done', ok: true, created, compareMs, ms: performance.now() - started })
  } catch (err) {
    parentPort.postMessage({ type: 'done', ok: false, error: `${err?.stack ?? err}${err?.cause === undefined ? '' : ` (cause: ${err.cause})`}` })
  }
})
parentPort.postMessage('ready')
