// HTTP load for bench/publish.ts, run in a worker thread so the client's own work (building requests, reading
// JSON answers) does not run on the node's main thread. Plain JS: a worker entry cannot be TypeScript on Node 20.
import { parentPort, workerData } from 'node:worker_threads'

const { url, token, bodies, contentType, concurrency, compare } = workerData

async function post (body) {
  const res = await fetch(`${url}/assets`, {
    method: 'POST',
    headers: { 'content-type': contentType, authorization: `Bearer ${token}` },
    body
  })
  const json = await res.json()
  if (res.status !== 201 && res.status !== 200) throw new Error(`POST /assets: ${res.status} ${JSON.stringify(json).slice(0, 500)}`)
  return json.assets.filter((a) => a.status === 'created').length
}

parentPort.once('message', async () => {
  const started = performance.now()
  let next = 0
  let created = 0
  let compareMs = 0
  const latencies = []
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, bodies.length) }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]
        const t0 = performance.now()
        const n = await post(body)
        created += n
        if (compareMs === 0 && created >= compare) compareMs = performance.now() - started
        latencies.push(performance.now() - t0)
      }
    }))
    parentPort.postMessage({ ok: true, created, compareMs, ms: performance.now() - started, latencies })
  } catch (err) {
    parentPort.postMessage({ ok: false, error: String(err?.stack ?? err) })
  }
})
parentPort.postMessage('ready')
