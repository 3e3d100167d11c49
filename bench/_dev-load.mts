import ox from 'oxigraph'
import { readFileSync } from 'node:fs'
import { createAssetStore } from '../src/store/index.js'
const D = process.argv[2]
const store = createAssetStore({ path: D + '/node/cairn.sqlite' })
store.start()
const upto = store.lastVersionId()
let t = performance.now()
let n = 0
store.exportLines(0, upto, (_id, lines) => { n += lines.length })
console.log('exportLines', n, (performance.now() - t).toFixed(0), 'ms')
const text = readFileSync(D + '/full.nq', 'utf8')
const lines = text.split('\n').filter((l) => l !== '')
for (const opts of [{}, { unchecked: true }, { lenient: true }, { unchecked: true, lenient: true }] as Array<Record<string, boolean>>) {
  const s = new ox.Store()
  t = performance.now()
  for (let i = 0; i < lines.length; i += 50_000) s.load(lines.slice(i, i + 50_000).join('\n'), { format: 'application/n-quads', no_transaction: true, ...opts })
  console.log('batched no_transaction', JSON.stringify(opts), s.size, (performance.now() - t).toFixed(0), 'ms')
  ;(s as any).free?.()
}
{
  const s = new ox.Store()
  t = performance.now()
  s.load(text, { format: 'application/n-quads' })
  console.log('one load', s.size, (performance.now() - t).toFixed(0), 'ms')
}
