import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../../src/config.js'
import type { ConfigInput } from '../../src/config.js'
import { createCairnNode } from '../../src/node.js'
import type { CairnNode } from '../../src/node.js'

export interface TestNode {
  node: CairnNode
  url: string
  token: string
  dataDir: string
  /** Stop and start again on the same data dir (a restart). */
  restart: () => Promise<TestNode>
  close: () => Promise<void>
}

export function tempDir (prefix = 'cairn-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** A real node on 127.0.0.1:0 with a temporary data dir (removed on close unless kept). */
export async function startTestNode (overrides: Partial<ConfigInput> = {}, dataDir = tempDir()): Promise<TestNode> {
  const node = await createCairnNode({ config: loadConfig({ dataDir, port: 0, logLevel: 'silent', ...overrides }, {}), env: {} })
  const token = readFileSync(join(dataDir, 'api-token'), 'utf8').trim()
  return {
    node,
    url: node.url,
    token,
    dataDir,
    restart: async () => {
      await node.stop()
      return await startTestNode(overrides, dataDir)
    },
    close: async () => {
      await node.stop()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
