import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestNode } from '../helpers/node.js'
import type { TestNode } from '../helpers/node.js'

const run = promisify(execFile)
const SCRIPT = new URL('../../examples/agent/agent.mjs', import.meta.url).pathname

/** The example as a user runs it: `node examples/agent/agent.mjs`, never with a language model configured. */
async function agent (env: Record<string, string> = {}): Promise<{ code: number, stdout: string, stderr: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OPENAI_') && !k.startsWith('CAIRN_'))) as Record<string, string>
  try {
    const { stdout, stderr } = await run(process.execPath, [SCRIPT], { env: { ...base, ...env }, timeout: 120_000 })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number, stdout: string, stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

function checkAnswers (stdout: string): void {
  expect(stdout.match(/^Q: /gm)).toHaveLength(3)
  expect(stdout).toMatch(/Marie Curie — birthPlace — Warsaw/)
  expect(stdout).toMatch(/Marie Curie — award — "Nobel Prize in Physics \(1903\)"/)
  expect(stdout).toMatch(/Alan Turing — worksFor — Bletchley Park/)
  const facts = stdout.match(/^ {3}\[\d+\] /gm) ?? []
  expect(facts.length).toBeGreaterThanOrEqual(3)
  // Every printed fact has its citation line and passed both checks (node's verify_citation and the local verifier).
  expect(stdout.match(/^ {7}cited: did:cairn:local\/\S+ v1, leaf \d+, root 0x[0-9a-f]{16}…, anchored in ledger entry #\d+$/gm)).toHaveLength(facts.length)
  expect(stdout.match(/^ {7}VERIFIED: node ok, local ok$/gm)).toHaveLength(facts.length)
  expect(stdout).not.toContain('FAILED')
  expect(stdout).not.toMatch(/^A: /m)
  expect(stdout).toContain('all citations verified')
}

describe('examples/agent: answers questions over MCP and verifies every citation (no LLM)', () => {
  let t: TestNode

  beforeAll(async () => {
    expect(existsSync(new URL('../../dist/node.js', import.meta.url)), 'run `npm run build` first (npm test does)').toBe(true)
    t = await startTestNode({ p2p: false })
  })
  afterAll(async () => { await t?.close() })

  it('starts its own throwaway node, publishes the bundled dataset and answers', async () => {
    const { code, stdout, stderr } = await agent()
    expect(code, stderr).toBe(0)
    expect(stdout).toMatch(/^started a throwaway node at http:\/\/127\.0\.0\.1:\d+/m)
    expect(stdout.match(/^published data\/\w+\.ttl → did:cairn:local\/\S+ v1 \(\d+ triples, created\)$/gm)).toHaveLength(2)
    checkAnswers(stdout)
  }, 180_000)

  it('uses a running node given by CAIRN_URL and CAIRN_TOKEN (publishing is idempotent)', async () => {
    for (const status of ['created', 'existing']) {
      const { code, stdout, stderr } = await agent({ CAIRN_URL: t.url, CAIRN_TOKEN: t.token })
      expect(code, stderr).toBe(0)
      expect(stdout).not.toContain('throwaway')
      expect(stdout.match(new RegExp(`^published data/\\w+\\.ttl → \\S+ v1 \\(\\d+ triples, ${status}\\)$`, 'gm'))).toHaveLength(2)
      checkAnswers(stdout)
    }
    // The citations the agent was served were counted for their publisher, as served through MCP.
    expect(t.node.components.contributions.summary({}).total).toBeGreaterThan(0)
  }, 180_000)
})
