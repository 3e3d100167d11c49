import ox from 'oxigraph'
import { readFileSync } from 'node:fs'
import { capSolutions } from '../src/sparql/results.js'
const text = readFileSync(process.argv[2], 'utf8').split('\n').slice(0, 100_000).join('\n')
const s = new ox.Store(); s.load(text, { format: 'application/n-quads', lenient: true })
const body = s.query('SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 5000', { results_format: 'application/sparql-results+json' }) as string
const utf8Length = (s: string): number => { let n = 0; for (let i = 0; i < s.length; i++) { const c = s.charCodeAt(i); n += c < 0x80 ? 1 : c < 0x800 ? 2 : (c >= 0xd800 && c < 0xdc00) ? (i++, 4) : 3 } return n }
const old = (b: string) => { const doc = JSON.parse(b); return { rows: doc.results.bindings.length, len: utf8Length(b) } }
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000 }
for (let r = 0; r < 3; r++) {
  let c = cpu(); for (let i = 0; i < 50; i++) old(body); const a = (cpu() - c) / 50
  c = cpu(); for (let i = 0; i < 50; i++) capSolutions(body, 'json', 10000, 16 << 20); const b = (cpu() - c) / 50
  console.log(body.length, 'bytes: old', a.toFixed(2), 'ms cpu; new', b.toFixed(2), 'ms cpu')
}
