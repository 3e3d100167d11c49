import { keysReady, signerFromSeed } from '../src/asset/index.js'
import { bodyHash, proofReady, requestHash, responseMessage } from '../src/proof/index.js'
await Promise.all([proofReady(), keysReady()])
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000 }
for (const type of ['sr25519', 'ed25519'] as const) {
  const signer = signerFromSeed(new Uint8Array(32).fill(3), type)
  for (const size of [12_000, 500_000]) {
    const body = Buffer.alloc(size, 97)
    const n = size > 100_000 ? 50 : 500
    const c = cpu()
    for (let i = 0; i < n; i++) {
      const u = { node: signer.address, request: requestHash('GET', '/sparql?query=abc'), body: bodyHash(new Uint8Array(body)), time: new Date().toISOString() }
      signer.sign(responseMessage(u))
    }
    console.log(type, size, 'bytes:', ((cpu() - c) / n).toFixed(3), 'ms cpu per response')
  }
}
