import ox from 'oxigraph'
import { readFileSync } from 'node:fs'
import { pino } from 'pino'
const { createSparqlEngine } = await import('../dist/sparql/index.js')
const D = process.argv[2]
const engine = createSparqlEngine({ storePath: D + '/node/cairn.sqlite', replicas: 1 }, { logger: pino({ level: 'silent' }) })
engine.start()
const lines = readFileSync(D + '/full.nq', 'utf8').split('\n')
const store = new ox.Store()
for (let i = 0; i < lines.length; i += 50_000) store.load(lines.slice(i, i + 50_000).join('\n'), { format: 'application/n-quads', no_transaction: true, lenient: true })
await engine.whenReady()
const qs = {
  contains: 'PREFIX schema: <http://schema.org/> SELECT ?s ?d WHERE { ?s schema:description ?d FILTER(CONTAINS(?d, "clover pebble")) }',
  star: 'PREFIX schema: <http://schema.org/> SELECT ?s ?name ?date ?rating WHERE { ?s a schema:Book ; schema:name ?name ; schema:dateCreated ?date ; schema:ratingValue ?rating ; schema:position ?pos . FILTER(?pos >= 950 && ?rating > 2.5) }'
}
for (const [name, q] of Object.entries(qs)) {
  const a: number[] = [], b: number[] = []
  for (let k = 0; k < 8; k++) {
    let t = performance.now(); store.query(q, { results_format: 'application/sparql-results+json' }); a.push(performance.now() - t)
    t = performance.now(); await engine.query(q, { format: 'json' }); b.push(performance.now() - t)
  }
  a.sort((x, y) => x - y); b.sort((x, y) => x - y)
  console.log(name, 'in-process min/med', a[0].toFixed(1), a[4].toFixed(1), '| engine min/med', b[0].toFixed(1), b[4].toFixed(1))
}
await engine.stop()
