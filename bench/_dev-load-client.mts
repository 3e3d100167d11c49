import { Agent, request } from 'node:http'
const [url, n] = [process.argv[2], Number(process.argv[3])]
const agent = new Agent({ keepAlive: true, maxSockets: 1 })
const get = (u: string) => new Promise<number>((resolve, reject) => { const t = performance.now(); request(u, { agent, headers: { accept: 'application/sparql-results+json' } }, (res) => { res.resume(); res.on('end', () => resolve(performance.now() - t)) }).on('error', reject).end() })
const xs: number[] = []
for (let i = 0; i < n; i++) xs.push(await get(`${url}/sparql?query=${encodeURIComponent(`SELECT ?p ?o WHERE { <https://data.example.org/${['person','organization','product','book','event','place','creativework','recipe'][i % 8]}/${i % 300}> ?p ?o }`)}`))
xs.sort((a, b) => a - b); console.log('median', xs[xs.length >> 1].toFixed(3), 'p95', xs[Math.floor(xs.length * 0.95)].toFixed(3), 'min', xs[0].toFixed(3))
agent.destroy()
