// ---------------------------------------------------------------------------------------------------------------
// HTTP client for bench/graphql.ts, run in a worker thread so building requests and reading answers does not run
// on the node's main thread. Plain JS: a worker entry cannot be TypeScript on Node 20.
//
// Each message is { pages: Array<Array<{ url, method?, headers?, body? }>>, concurrency }: the requests of one page
// run with at most `concurrency` in flight; the page's latency is from its first request sent to its last answer
// read. Pages run one after another. Answers must be 200 and, for GraphQL, carry no `errors`.
import { parentPort } from 'node:worker_threads'

async function send (req) {
  const res = await fetch(req.url, { method: req.method ?? 'GET', headers: req.headers ?? {}, ...(req.body === undefined ? {} : { body: req.body }) })
  const text = await res.text()
  if (res.status !== 200) throw new Error(`${req.method ?? 'GET'} ${req.url.slice(0, 200)}: ${res.status} ${text.slice(0, 300)}`)
  if (req.graphql === true) {
    const json = JSON.parse(text)
    if (json.errors !== undefined) throw new Error(`GraphQL errors: ${JSON.stringify(json.errors).slice(0, 500)}`)
  }
  return text.length
}

parentPort.on('message', async ({ pages, concurrency }) => {
  try {
    const latencies = []
    let bytes = 0
    for (const page of pages) {
      const t0 = performance.now()
      let next = 0
      await Promise.all(Array.from({ length: Math.min(concurrency, page.length) }, async () => {
        while (next < page.length) bytes += await send(page[next++])
      }))
      latencies.push(performance.now() - t0)
    }
    parentPort.postMessage({ ok: true, latencies, bytes })
  } catch (err) {
    parentPort.postMessage({ ok: false, error: String(err?.stack ?? err) })
  }
})
parentPort.postMessage('ready')
