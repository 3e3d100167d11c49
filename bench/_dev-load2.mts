import ox from 'oxigraph'
import { readFileSync } from 'node:fs'
const [file, mode] = process.argv.slice(2)
const text = readFileSync(file, 'utf8')
const lines = text.split('\n').filter((l) => l !== '')
const s = new ox.Store()
const t = performance.now(); const c0 = process.cpuUsage()
if (mode === 'one') s.load(text, { format: 'application/n-quads' })
else if (mode === 'one-lenient') s.load(text, { format: 'application/n-quads', lenient: true })
else {
  const opts = mode === 'batch-lenient' ? { lenient: true } : {}
  for (let i = 0; i < lines.length; i += 50_000) s.load(lines.slice(i, i + 50_000).join('\n'), { format: 'application/n-quads', no_transaction: true, ...opts })
}
const c = process.cpuUsage(c0); console.log(mode, s.size, (performance.now() - t).toFixed(0), 'ms wall', ((c.user + c.system) / 1000).toFixed(0), 'ms cpu', 'rss', Math.round(process.memoryUsage().rss / 1048576))
