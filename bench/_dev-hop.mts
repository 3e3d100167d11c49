import ox from 'oxigraph'
import { readFileSync } from 'node:fs'
import { pino } from 'pino'
const { createSparqlEngine } = await import('../dist/sparql/index.js')
const file = process.argv[2]
const text = readFileSync(file, 'utf8').split('\n').slice(0, 200_000).join('\n')
const store = new ox.Store(); store.load(text, { format: 'application/n-quads', lenient: true })
const engine = createSparqlEngine({ replicas: 1 }, { logger: pino({ level: 'silent' }) })
engine.start(); await engine.whenReady(); await engine.loadDataset(text)
const subj = [...text.matchAll(/^<(https:\/\/data\.example\.org\/[a-z]+\/\d+)>/gm)].slice(0, 200).map((m) => m[1])
const queries: Record<string, (k: number) => string> = {
  tiny: () => 'ASK { ?s ?p ?o }',
  subject: (k) => `SELECT ?p ?o WHERE { <${subj[k % subj.length]}> ?p ?o }`,
  big: () => 'SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 5000'
}
const stats = (xs: number[]) => { xs.sort((a, b) => a - b); return `min ${xs[0].toFixed(3)} med ${xs[xs.length >> 1].toFixed(3)} p95 ${xs[Math.floor(xs.length * 0.95)].toFixed(3)}` }
for (const [name, q] of Object.entries(queries)) {
  const a: number[] = []; const b: number[] = []; let bytes = 0
  for (let k = 0; k < 400; k++) {
    let t = performance.now(); const out = store.query(q(k), { results_format: 'application/sparql-results+json' }) as string; a.push(performance.now() - t); bytes = out.length
    t = performance.now(); await engine.query(q(k), { format: 'json' }); b.push(performance.now() - t)
  }
  console.log(name, bytes, 'bytes | in-process', stats(a.slice(50)), '| engine', stats(b.slice(50)))
}
await engine.stop()
