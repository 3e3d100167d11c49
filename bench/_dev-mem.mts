import { pino } from 'pino'
const { createSparqlEngine } = await import('../dist/sparql/index.js')
const engine = createSparqlEngine({ storePath: process.argv[2], replicas: 1 }, { logger: pino({ level: 'info' }, pino.destination(2)) })
const rss = () => Math.round(process.memoryUsage().rss / 1048576)
const t = performance.now()
engine.start(); await engine.whenReady()
console.log('ready', ((performance.now() - t) / 1000).toFixed(1), 's rss', rss())
for (let i = 0; i < 6; i++) { await new Promise((r) => setTimeout(r, 5000)); console.log('t+', (i + 1) * 5, 's rss', rss()) }
await engine.stop()
