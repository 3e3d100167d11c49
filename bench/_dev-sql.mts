import Database from 'better-sqlite3'
const [file, cache] = process.argv.slice(2)
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000 }
const db = new Database(file, { readonly: true })
if (cache !== '0') db.pragma(`cache_size = -${Number(cache) * 1024}`)
const upto = db.prepare('select max(id) from versions').pluck().get()
const stmt = db.prepare(`SELECT q.version_id, s.kind, s.value, p.value, o.kind, o.value, o.datatype, o.lang
        FROM quads q JOIN terms s ON s.id = q.s JOIN terms p ON p.id = q.p JOIN terms o ON o.id = q.o
        WHERE q.version_id > ? AND q.version_id <= ? ORDER BY q.version_id, q.idx`).raw()
const c = cpu(); const t = performance.now(); let n = 0
for (const row of stmt.iterate(0, upto)) n++
console.log('cache', cache, 'MiB:', n, 'rows', (performance.now() - t).toFixed(0), 'ms wall', (cpu() - c).toFixed(0), 'ms cpu')
