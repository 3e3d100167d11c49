import { startTestNode } from '../test/helpers/node.js'
const a = await startTestNode({ workers: 0, sparqlReplicas: 1, p2pListen: ['/ip4/127.0.0.1/tcp/0'] })
console.log(a.node.components.network!.multiaddrs())
await a.close()
