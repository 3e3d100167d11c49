import { join } from 'node:path'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCairnClient } from '../../src/client/index.js'
import { createSparqlEngine } from '../../src/sparql/index.js'
import { startTestNode } from '../helpers/node.js'
import type { TestNode } from '../helpers/node.js'

/** 40 assets of 30 triples each, one TriG body (one asset per graph). */
const TRIG = Array.from({ length: 40 }, (_v, a) => `<https://ex.org/g${a}> { ${Array.from({ length: 30 }, (_w, i) =>
  `<https://ex.org/e${a}> <https://schema.org/p${i}> "value ${a} ${i} ${'x'.repeat(40)}" .`).join(' ')} }`).join('\n')

describe('WorkerSparqlEngine: a replica built from a real SQLite store', () => {
  let t: TestNode
  beforeAll(async () => {
    t = await startTestNode({ p2p: false, sparqlReplicas: 1 })
    expect(await createCairnClient({ url: t.url, token: t.token }).publishRdf(TRIG, 'trig')).toHaveLength(40)
  })
  afterAll(async () => { await t?.close() })

  it('collects the garbage of its build before it reports ready, and logs its heap', async () => {
    const lines: Array<Record<string, unknown>> = []
    const sink = new Writable({ write (chunk: Buffer, _enc, done) { lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>); done() } })
    const engine = createSparqlEngine({ storePath: join(t.dataDir, 'cairn.sqlite'), replicas: 1 }, { logger: pino({ level: 'info' }, sink) })
    engine.start()
    try {
      await engine.whenReady()
      const loaded = lines.find((l) => l.msg === 'SPARQL replica loaded')
      // 1,200 published quads + the default-graph copy + provenance.
      expect(loaded?.quads).toBeGreaterThan(2400)
      expect(loaded?.heapUsed).toBeGreaterThan(0)
      expect(loaded?.collected).toBeGreaterThan(0)
      const answer = await engine.query('SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }', { format: 'json' })
      expect(JSON.parse(answer.body).results.bindings[0].n.value).toBe('1200')
    } finally {
      await engine.stop()
    }
  })
})
