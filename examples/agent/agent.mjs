#!/usr/bin/env node
// A small agent that answers questions from a Cairn node through MCP and checks every citation it quotes.
//
//   npm run build && node examples/agent/agent.mjs            # starts a throwaway node on a temp dir
//   CAIRN_URL=http://127.0.0.1:8900 CAIRN_TOKEN=… node examples/agent/agent.mjs   # uses a running node
//
// It publishes data/*.ttl (idempotent), connects to the node's /mcp endpoint with the official MCP SDK client,
// asks each question with the `retrieve` tool, prints the answer facts with their [n] citations, and verifies each
// citation twice: with the node's `verify_citation` tool and locally with Cairn's own verifier (dist/proof), which
// trusts nothing the node says. No LLM is needed; if OPENAI_BASE_URL and OPENAI_API_KEY are set, an
// OpenAI-compatible chat endpoint phrases the answer from the cited facts only. Exit code 1 if any check fails.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { createCairnClient } from '../../dist/client/index.js'
import { loadConfig } from '../../dist/config.js'
import { createCairnNode } from '../../dist/node.js'
import { proofReady, verifyCitation } from '../../dist/proof/index.js'

const HERE = fileURLToPath(new URL('.', import.meta.url))
const QUESTIONS = [
  'Where was Marie Curie born?',
  'Which awards did Marie Curie receive?',
  'Where did Alan Turing work?'
]
const MAX_FACTS = 5

/** A node to talk to: CAIRN_URL (with CAIRN_TOKEN to publish), or a throwaway one on a temp dir. */
async function openNode () {
  if (process.env.CAIRN_URL !== undefined && process.env.CAIRN_URL !== '') {
    return { url: process.env.CAIRN_URL.replace(/\/+$/, ''), token: process.env.CAIRN_TOKEN, close: async () => {} }
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'cairn-agent-'))
  const node = await createCairnNode({ config: loadConfig({ dataDir, port: 0, logLevel: 'warn', p2p: false }, {}), env: {} })
  const token = readFileSync(join(dataDir, 'api-token'), 'utf8').trim()
  console.log(`started a throwaway node at ${node.url} (data in ${dataDir})`)
  return { url: node.url, token, close: async () => { await node.stop(); rmSync(dataDir, { recursive: true, force: true }) } }
}

async function publishDataset (url, token) {
  if (token === undefined || token === '') {
    console.log('CAIRN_TOKEN is not set: not publishing the dataset (assuming the node already holds it)')
    return
  }
  const client = createCairnClient({ url, token })
  for (const file of readdirSync(join(HERE, 'data')).filter((f) => f.endsWith('.ttl')).sort()) {
    const [asset] = await client.publishRdf(readFileSync(join(HERE, 'data', file), 'utf8'), 'turtle')
    console.log(`published data/${file} → ${asset.ual} v${asset.version} (${asset.tripleCount} triples, ${asset.status})`)
  }
}

/** Call a tool; a tool error (isError, CAIRN_* code) becomes an exception. */
async function tool (mcp, name, args) {
  const result = await mcp.callTool({ name, arguments: args })
  if (result.isError) throw new Error(result.content[0]?.text ?? `${name} failed`)
  return result.structuredContent ?? JSON.parse(result.content[0].text)
}

/** Phrase an answer from the cited facts only, with an OpenAI-compatible endpoint (optional). */
async function phrase (question, context) {
  const base = process.env.OPENAI_BASE_URL
  const key = process.env.OPENAI_API_KEY
  if (base === undefined || base === '' || key === undefined || key === '') return undefined
  const res = await fetch(`${base.replace(/\/+$/, '')}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({
      model: process.env.OPENAI_MODEL ?? 'gpt-4o-mini',
      temperature: 0,
      messages: [
        { role: 'system', content: 'Answer in one or two sentences using only the numbered facts. Cite every fact you use as [n]. If the facts do not answer the question, say so.' },
        { role: 'user', content: `Facts:\n${context}\n\nQuestion: ${question}` }
      ]
    }),
    signal: AbortSignal.timeout(60_000)
  })
  if (!res.ok) return `(the language model endpoint answered HTTP ${res.status}; facts above)`
  const body = await res.json()
  return body.choices?.[0]?.message?.content?.trim()
}

async function main () {
  await proofReady()
  const node = await openNode()
  const mcp = new Client({ name: 'cairn-example-agent', version: '1.0.0' })
  let failures = 0
  try {
    await publishDataset(node.url, node.token)
    await mcp.connect(new StreamableHTTPClientTransport(new URL(`${node.url}/mcp`)))
    const tools = (await mcp.listTools()).tools.map((t) => t.name)
    console.log(`connected to ${node.url}/mcp (${mcp.getServerVersion()?.name} ${mcp.getServerVersion()?.version}); tools: ${tools.join(', ')}`)

    for (const question of QUESTIONS) {
      console.log(`\nQ: ${question}`)
      const answer = await tool(mcp, 'retrieve', { question, maxFacts: MAX_FACTS })
      if (answer.facts.length === 0) console.log('   (no facts found)')
      const contextLines = answer.context.split('\n')
      for (const fact of answer.facts) {
        const c = fact.citation
        const line = contextLines.find((l) => l.startsWith(`[${fact.marker}]`)) ?? `[${fact.marker}] ${c.triple}`
        const remote = await tool(mcp, 'verify_citation', { citation: c })
        const local = verifyCitation(c)
        const ok = remote.ok === true && local.ok === true
        if (!ok) failures++
        console.log(`   ${line.replace(/ \(source: [^)]*\)$/, '')}`)
        console.log(`       cited: ${c.ual} v${c.version}, leaf ${c.leafIndex}, root ${c.root.slice(0, 18)}…, anchored in ledger entry #${c.anchor.entry.height}`)
        console.log(`       ${ok ? 'VERIFIED' : 'FAILED'}: node ${remote.ok ? 'ok' : `${remote.code} ${remote.reason}`}, local ${local.ok ? 'ok' : `CAIRN_${local.code} ${local.reason}`}`)
      }
      const phrased = await phrase(question, answer.context)
      if (phrased !== undefined) console.log(`A: ${phrased}`)
    }
    if (process.env.OPENAI_BASE_URL === undefined || process.env.OPENAI_API_KEY === undefined) {
      console.log('\n(set OPENAI_BASE_URL and OPENAI_API_KEY to have a language model phrase each answer from these facts)')
    }
    console.log(`\n${failures === 0 ? 'all citations verified' : `${failures} citation(s) FAILED verification`}`)
  } finally {
    await mcp.close().catch(() => {})
    await node.close()
  }
  process.exitCode = failures === 0 ? 0 : 1
}

main().catch((err) => {
  console.error(`${err?.code ?? 'error'}: ${err?.message ?? String(err)}`)
  process.exitCode = 1
})
