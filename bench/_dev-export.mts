import Database from 'better-sqlite3'
import { DataFactory } from 'n3'
import { tripleToLine } from '../src/rdf/ntriples.js'
const D = process.argv[2]
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000 }
const db = new Database(D + '/node/cairn.sqlite', { readonly: true })
const upto = db.prepare('select max(id) from versions').pluck().get()
const stmt = db.prepare(`SELECT q.version_id, s.kind, s.value, p.value, o.kind, o.value, o.datatype, o.lang
        FROM quads q JOIN terms s ON s.id = q.s JOIN terms p ON p.id = q.p JOIN terms o ON o.id = q.o
        WHERE q.version_id > ? AND q.version_id <= ? ORDER BY q.version_id, q.idx`).raw()
let c = cpu(); let t = performance.now(); let n = 0
for (const row of stmt.iterate(0, upto)) n++
console.log('sql only', n, (performance.now() - t).toFixed(0), 'ms wall', (cpu() - c).toFixed(0), 'ms cpu')
const decode = (kind: number, value: string, datatype: string, lang: string) => kind === 0 ? DataFactory.namedNode(value) : kind === 1 ? DataFactory.blankNode(value) : lang !== '' ? DataFactory.literal(value, lang) : DataFactory.literal(value, DataFactory.namedNode(datatype))
c = cpu(); t = performance.now(); n = 0
for (const row of stmt.iterate(0, upto) as Iterable<any[]>) {
  const [v, sk, s, p, ok, o, dt, lang] = row
  const line = tripleToLine(decode(sk, s, '', ''), DataFactory.namedNode(p), decode(ok, o, dt, lang)); n += line.length
}
console.log('sql + tripleToLine', (performance.now() - t).toFixed(0), 'ms wall', (cpu() - c).toFixed(0), 'ms cpu')
console.log(db.prepare('EXPLAIN QUERY PLAN ' + stmt.source).all(0, upto).map((r: any) => r.detail))
