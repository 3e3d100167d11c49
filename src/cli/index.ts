/**
 * The `cairn` command. It uses the same factories as `src/node.ts` (start) and the typed HTTP client for
 * everything else; keys stay on this machine — `--key` signs locally and sends only signatures and triples.
 *
 * @packageDocumentation
 * @example
 * ```sh
 * cairn keys new --unencrypted --out me.json
 * cairn publish data.ttl --key me.json
 * cairn verify did:cairn:local/5F…/0a1b…
 * ```
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { Command, Option } from 'commander'
import cliProgress from 'cli-progress'
import { mnemonicToMiniSecret } from '@polkadot/util-crypto'
import type { PublishResult, SignedVersion, Signer } from '../asset/index.js'
import { decryptKeystore, encryptKeystore, keysReady, newMnemonic, prepareGraphs, signVersion, KEY_TYPES } from '../asset/index.js'
import type { Keystore, KeyType } from '../asset/index.js'
import { createCairnClient } from '../client/index.js'
import type { CairnClient, SignedAnswer } from '../client/index.js'
import { loadConfig } from '../config.js'
import { readJson, readToken, writeSecretFile } from '../data-dir.js'
import { CairnError } from '../errors.js'
import { createCairnNode } from '../node.js'
import { proofReady, verifyBundle, verifyCitation, verifyResponse } from '../proof/index.js'
import type { AssetBundle, BundleReport } from '../proof/index.js'
import { jsonTermToNTriples, RDF_FORMATS } from '../rdf/index.js'
import type { JsonTerm, RdfFormat } from '../rdf/index.js'
import type { Citation } from '../proof/index.js'
import type { ContributionQuery, RetrieveRequest, RetrieveResponse } from '../rag/index.js'
import { runStdioRelay } from '../mcp/index.js'
import { startDevnet } from './devnet.js'
import { collectInputs, defaultKeysDir, passphrase, print, readText } from './io.js'

export const DEFAULT_NODE_URL = 'http://127.0.0.1:8900'

interface GlobalOptions { node?: string, token?: string, dataDir?: string, json?: boolean }

export async function main (argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv)
}

export function buildProgram (): Command {
  const program = new Command('cairn')
    .description('Cairn: verifiable knowledge assets — publish, get, update, history, verify')
    .option('--node <url>', 'node API URL (env CAIRN_URL)', process.env.CAIRN_URL ?? DEFAULT_NODE_URL)
    .option('--token <token>', 'node API token for unsigned writes (env CAIRN_TOKEN; default: read from the data dir)')
    .option('--data-dir <dir>', 'node data directory (env CAIRN_DATA_DIR)', process.env.CAIRN_DATA_DIR)
    .option('--json', 'print JSON instead of text')
    .showHelpAfterError()

  const globals = (): GlobalOptions => program.opts<GlobalOptions>()
  const client = (withToken = false): CairnClient => {
    const g = globals()
    const token = withToken ? (g.token ?? process.env.CAIRN_TOKEN ?? readToken(loadConfig(g.dataDir === undefined ? {} : { dataDir: g.dataDir }).dataDir)) : undefined
    return createCairnClient({ url: g.node ?? DEFAULT_NODE_URL, ...(token === undefined ? {} : { token }) })
  }

  program.command('start')
    .description('start a node (embedded SQLite store and ledger); creates keys, token and config on first run')
    .option('--port <port>', 'HTTP port (env CAIRN_PORT, default 8900; 0 = any free port)')
    .option('--host <host>', 'listen address (env CAIRN_HOST, default 127.0.0.1)')
    .option('--network <name>', 'network name in UALs (env CAIRN_NETWORK, default local)')
    .option('--log-level <level>', 'pino log level (env CAIRN_LOG_LEVEL)')
    .option('--bootstrap <multiaddrs>', 'comma-separated bootstrap peers, …/p2p/<peer id> (env CAIRN_BOOTSTRAP)')
    .option('--p2p-listen <multiaddrs>', 'comma-separated libp2p listen addresses (env CAIRN_P2P_LISTEN)')
    .option('--no-p2p', 'run standalone, without the peer network')
    .action(async (opts: { port?: string, host?: string, network?: string, logLevel?: string, bootstrap?: string, p2pListen?: string, p2p: boolean }) => {
      const list = (v: string | undefined): string[] | undefined => v?.split(',').map((s) => s.trim()).filter(Boolean)
      const config = loadConfig({
        dataDir: globals().dataDir,
        port: opts.port,
        host: opts.host,
        network: opts.network,
        logLevel: opts.logLevel,
        bootstrap: list(opts.bootstrap),
        p2pListen: list(opts.p2pListen),
        ...(opts.p2p ? {} : { p2p: false })
      })
      const node = await createCairnNode({ config })
      for (const file of node.created) process.stderr.write(`created ${file}\n`)
      print(`Cairn node ${node.components.nodeSigner.address} on network "${config.network}"`)
      print(`listening on ${node.url}   (API token: cairn token --data-dir ${config.dataDir})`)
      const network = node.components.network
      if (network !== undefined) print(`peer ${network.peerId} on ${network.multiaddrs().join(', ')}`)
      await new Promise<void>((resolve) => {
        const stop = (): void => { Promise.resolve(node.stop()).then(resolve, resolve) }
        process.once('SIGINT', stop)
        process.once('SIGTERM', stop)
      })
    })

  program.command('token')
    .description("print the node's API token (from its data directory)")
    .action(() => {
      print(readToken(loadConfig(globals().dataDir === undefined ? {} : { dataDir: globals().dataDir }).dataDir))
    })

  const keys = program.command('keys').description('publisher keys (kept on this machine)')
  keys.command('new')
    .description('create a publisher key; prints its SS58 address and, once, its mnemonic')
    .addOption(new Option('--type <type>', 'key type').choices(KEY_TYPES as string[]).default('sr25519'))
    .option('--out <file>', 'keystore path (default: <keys dir>/<address>.json; env CAIRN_KEYS_DIR)')
    .option('--passphrase-file <file>', 'read the passphrase from a file (or env CAIRN_PASSPHRASE; prompts on a TTY)')
    .option('--unencrypted', 'store the key unencrypted (development only; the file says so)')
    .option('--mnemonic <words>', 'restore from an existing mnemonic instead of generating one')
    .action(async (opts: { type: KeyType, out?: string, passphraseFile?: string, unencrypted?: boolean, mnemonic?: string }) => {
      await keysReady()
      const pass = opts.unencrypted === true ? undefined : await passphrase({ ...(opts.passphraseFile === undefined ? {} : { file: opts.passphraseFile }), prompt: 'New key passphrase: ' })
      if (opts.unencrypted !== true && (pass === undefined || pass === '')) {
        throw new CairnError('KEY_INVALID', 'keys new: give a passphrase (--passphrase-file, CAIRN_PASSPHRASE or the prompt) or pass --unencrypted for a development key')
      }
      const mnemonic = opts.mnemonic ?? newMnemonic()
      const keystore = encryptKeystore(mnemonicToMiniSecret(mnemonic), opts.type, pass)
      const out = resolve(opts.out ?? join(defaultKeysDir(), `${keystore.address}.json`))
      if (existsSync(out)) throw new CairnError('KEY_INVALID', `keys new: ${out} exists; choose another --out`)
      mkdirSync(dirname(out), { recursive: true, mode: 0o700 })
      writeSecretFile(out, JSON.stringify(keystore, null, 2) + '\n')
      if (globals().json === true) {
        print(JSON.stringify({ address: keystore.address, type: keystore.type, keystore: out, encrypted: keystore.encrypted, ...(opts.mnemonic === undefined ? { mnemonic } : {}) }))
        return
      }
      print(`address   ${keystore.address}`)
      print(`type      ${keystore.type}`)
      print(`keystore  ${out}${keystore.encrypted ? '' : '  (UNENCRYPTED — development only)'}`)
      if (opts.mnemonic === undefined) {
        print(`mnemonic  ${mnemonic}`)
        print('          ^ shown once: write it down; it restores this key (cairn keys new --mnemonic "…")')
      }
    })

  const keyOption = new Option('--key <keystore>', 'sign locally with this publisher keystore (else the node signs with its key, using the API token)')
  const passOption = new Option('--passphrase-file <file>', 'keystore passphrase file (or env CAIRN_PASSPHRASE; prompts on a TTY)')

  program.command('publish')
    .description('publish RDF files or directories (.jsonld .json .nq .nt .ttl .trig); one asset per graph')
    .argument('<paths...>')
    .addOption(keyOption)
    .addOption(passOption)
    .option('--base <iri>', 'base IRI for relative IRIs')
    .action(async (paths: string[], opts: { key?: string, passphraseFile?: string, base?: string }) => {
      const inputs = collectInputs(paths)
      const signer = opts.key === undefined ? undefined : await loadSigner(opts.key, opts.passphraseFile)
      const api = client(signer === undefined)
      const network = signer === undefined ? '' : (await api.health()).network
      const bar = process.stderr.isTTY === true && globals().json !== true && inputs.length > 1
        ? new cliProgress.SingleBar({ format: 'publishing [{bar}] {value}/{total} files  {file}', stream: process.stderr }, cliProgress.Presets.shades_classic)
        : undefined
      bar?.start(inputs.length, 0, { file: '' })
      const results: PublishResult[] = []
      try {
        for (const input of inputs) {
          bar?.update({ file: input.path })
          const text = readText(input.path)
          const published = signer === undefined
            ? await api.publishRdf(text, input.format, opts.base === undefined ? {} : { base: opts.base })
            : await api.publishSigned((await prepareGraphs({ text, format: input.format, ...(opts.base === undefined ? {} : { base: opts.base }) }))
              .map((g) => signVersion(g, { signer, network })))
          results.push(...published)
          bar?.increment()
          if (bar === undefined && globals().json !== true) published.forEach(printResult)
        }
      } finally {
        bar?.stop()
      }
      if (globals().json === true) print(JSON.stringify(results, null, 2))
      else if (bar !== undefined) results.forEach(printResult)
    })

  program.command('update')
    .description('publish a new version of an asset (only its original publisher may)')
    .argument('<ual>')
    .argument('<file>')
    .addOption(keyOption)
    .addOption(passOption)
    .option('--base <iri>', 'base IRI for relative IRIs')
    .action(async (ual: string, file: string, opts: { key?: string, passphraseFile?: string, base?: string }) => {
      const [input] = collectInputs([file])
      const text = readText(input.path)
      const base = opts.base === undefined ? {} : { base: opts.base }
      let result: PublishResult
      if (opts.key === undefined) {
        result = await client(true).updateRdf(ual, text, input.format, base)
      } else {
        const signer = await loadSigner(opts.key, opts.passphraseFile)
        const api = client()
        const graphs = await prepareGraphs({ text, format: input.format, ...base })
        if (graphs.length !== 1) throw new CairnError('API_BAD_REQUEST', `update: ${file} holds ${graphs.length} graphs; an update is one graph`)
        const history = await api.history(ual)
        const current = history.versions[history.versions.length - 1]
        const signed: SignedVersion = signVersion(graphs[0], { signer, network: '', ual: history.ual, version: current.version + 1, previousRoot: current.root })
        result = await api.updateSigned(signed)
      }
      if (globals().json === true) print(JSON.stringify(result, null, 2))
      else printResult(result)
    })

  program.command('get')
    .description('print an asset version as RDF')
    .argument('<ual>')
    .addOption(new Option('--format <format>', 'output format').choices(RDF_FORMATS as unknown as string[]).default('nquads'))
    .option('--version <n>', 'version number (default: current)', (v) => Number.parseInt(v, 10))
    .action(async (ual: string, opts: { format: RdfFormat, version?: number }) => {
      process.stdout.write(await client().get(ual, { format: opts.format, ...(opts.version === undefined ? {} : { version: opts.version }) }))
    })

  program.command('history')
    .description('list the versions of an asset')
    .argument('<ual>')
    .action(async (ual: string) => {
      const history = await client().history(ual)
      if (globals().json === true) { print(JSON.stringify(history, null, 2)); return }
      print(history.ual)
      for (const v of history.versions) {
        print(`  v${v.version}  ${v.timestamp}  root ${v.root}  ${v.tripleCount} triples${v.isCurrent ? '  (current)' : ''}`)
      }
    })

  program.command('verify')
    .description('verify an asset offline: fetch its bundle (or read bundle.json) and check roots, signatures, anchors, chain')
    .argument('<ual-or-bundle>')
    .action(async (target: string) => {
      await proofReady()
      const bundle = existsSync(target) ? readJson<AssetBundle>(target) : await client().bundle(target)
      const report = verifyBundle(bundle)
      if (globals().json === true) print(JSON.stringify(report, null, 2))
      else printReport(report)
      if (!report.ok) {
        const bad = report.versions.find((v) => !v.ok)
        throw new CairnError(bad?.code ?? 'PROOF_INVALID', `verify: ${report.ual} v${bad?.version ?? '?'} failed: ${bad?.reason ?? 'see report'}`)
      }
    })

  program.command('query')
    .description('run a read-only SPARQL query against the node (SPARQL 1.1 Protocol at /sparql)')
    .argument('[query]', 'the query text (or --file)')
    .option('--file <path>', 'read the query from a file')
    .addOption(new Option('--format <format>', 'output: table (SELECT/ASK), or a raw format').choices(Object.keys(QUERY_ACCEPT)).default('table'))
    .option('--timeout <ms>', 'lower the server timeout for this query', (v) => Number.parseInt(v, 10))
    .option('--save <file>', 'also save the signed answer (request, body, Cairn-Signature) for `cairn verify-response`')
    .action(async (text: string | undefined, opts: { file?: string, format: keyof typeof QUERY_ACCEPT, timeout?: number, save?: string }) => {
      const query = opts.file !== undefined ? readText(opts.file) : text
      if (query === undefined || query.trim() === '') throw new CairnError('API_BAD_REQUEST', 'query: give the query text or --file')
      const result = await client().sparql(query, { accept: QUERY_ACCEPT[opts.format], ...(opts.timeout === undefined ? {} : { timeoutMs: opts.timeout }) })
      if (opts.save !== undefined) saveAnswer(opts.save, result)
      if (opts.format === 'table' && result.contentType.startsWith('application/sparql-results+json')) print(renderTable(result.body))
      else process.stdout.write(result.body.endsWith('\n') ? result.body : result.body + '\n')
      if (result.truncated) process.stderr.write(`(truncated at ${result.rows} rows by the node's result caps)\n`)
    })

  program.command('verify-response')
    .description('check a signed answer saved with --save: the node key signed this body for this request')
    .argument('<file>')
    .option('--node-address <ss58>', 'also require this node key')
    .action(async (file: string, opts: { nodeAddress?: string }) => {
      await proofReady()
      const saved = readJson<SavedAnswer>(file)
      if (saved.signature === null || saved.signature === undefined) throw new CairnError('PROOF_BAD_SIGNATURE', `verify-response: ${file} holds no Cairn-Signature`)
      const check = verifyResponse(saved.signature, { method: saved.request.method, pathAndQuery: saved.request.pathAndQuery, body: new TextEncoder().encode(saved.request.body) },
        new TextEncoder().encode(saved.body), opts.nodeAddress)
      print(JSON.stringify(check, null, 2))
      if (!check.ok) throw new CairnError('PROOF_BAD_SIGNATURE', `verify-response: the answer in ${file} does not match its signature (${Object.entries(check.checks).filter(([, ok]) => !ok).map(([k]) => k).join(', ')})`)
    })

  program.command('peers')
    .description("show the node's peer table (id, addresses, last seen, score)")
    .action(async () => {
      const { self, peers } = await client().peers()
      if (globals().json === true) { print(JSON.stringify({ self, peers }, null, 2)); return }
      print(`self ${self}`)
      for (const p of peers) print(`  ${p.id}  ${p.connected ? 'connected' : 'offline  '}  score ${p.score}  last seen ${p.lastSeen ?? 'never'}  ${p.addresses.join(' ')}`)
      if (peers.length === 0) print('  (no peers: start others with --bootstrap <multiaddr>, or try `cairn devnet`)')
    })

  program.command('sync')
    .description('run one catch-up round now: pull what this node should hold from its peers, and report')
    .action(async () => {
      const report = await client(true).sync()
      print(JSON.stringify(report, null, 2))
      if (!report.complete) throw new CairnError('NET_PEER_UNREACHABLE', `sync: incomplete — ${report.missing.length} version(s) missing; see the report`)
    })

  program.command('devnet')
    .description('start N local nodes on 127.0.0.1 with separate data dirs, meshed over libp2p; Ctrl-C stops them')
    .option('--nodes <n>', 'how many nodes', (v) => Number.parseInt(v, 10), 5)
    .option('--dir <dir>', 'parent of the nodes\' data dirs', '.cairn-devnet')
    .option('--base-port <port>', 'HTTP port of node 0; node i gets base+i, its libp2p port base+100+i', (v) => Number.parseInt(v, 10), 8910)
    .option('--replication-factor <r>', 'R', (v) => Number.parseInt(v, 10), 3)
    .action(async (opts: { nodes: number, dir: string, basePort: number, replicationFactor: number }) => {
      const nodes = await startDevnet(opts)
      for (const n of nodes) print(`node ${n.index}  ${n.url}  ${n.peer}  data ${n.dataDir}`)
      print(`${nodes.length} nodes up; token of node 0: cairn token --data-dir ${nodes[0].dataDir}; Ctrl-C stops them`)
      await new Promise<void>((resolve) => {
        const stop = (): void => { for (const n of nodes) n.process.kill('SIGTERM'); resolve() }
        process.once('SIGINT', stop)
        process.once('SIGTERM', stop)
      })
    })

  program.command('mcp')
    .description("serve the node's MCP tools over stdio (Claude Desktop and other MCP hosts): relays to the running node's /mcp (--node / CAIRN_URL); see docs/mcp.md")
    .action(async () => {
      const g = globals()
      // The token only matters for the `publish` tool (when the operator enabled it); reads need none.
      let token = g.token ?? process.env.CAIRN_TOKEN
      if (token === undefined && g.dataDir !== undefined) token = readToken(loadConfig({ dataDir: g.dataDir }).dataDir)
      await runStdioRelay({ url: g.node ?? DEFAULT_NODE_URL, ...(token === undefined ? {} : { token }) })
    })

  program.command('retrieve')
    .description('ask the node for facts that answer a question, each with a citation; prints the context block, then the citations (checked locally)')
    .argument('[question]', 'the question (may be left out with --entity)')
    .option('--entity <iri>', 'start from this entity IRI (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--max-facts <n>', 'most facts in the answer (default 20)', positiveInt('--max-facts'))
    .option('--max-chars <n>', 'most characters of the context block (default 4000)', positiveInt('--max-chars'))
    .addOption(new Option('--hops <n>', 'neighbourhood depth').choices(['1', '2']))
    .option('--no-proofs', 'leave merkle proofs out of the citations (they then cannot be verified offline)')
    .option('--cross-check <k>', 'ask k peers holding the cited assets whether they hold the same facts', positiveInt('--cross-check'))
    .option('--save <file>', 'also save the signed answer (request, body, Cairn-Signature) for `cairn verify-response`')
    .action(async (question: string | undefined, opts: { entity: string[], maxFacts?: number, maxChars?: number, hops?: '1' | '2', proofs: boolean, crossCheck?: number, save?: string }) => {
      const budget = { ...(opts.maxFacts === undefined ? {} : { maxFacts: opts.maxFacts }), ...(opts.maxChars === undefined ? {} : { maxChars: opts.maxChars }) }
      const request: RetrieveRequest = {
        ...(question === undefined ? {} : { question }),
        ...(opts.entity.length === 0 ? {} : { entities: opts.entity }),
        ...(Object.keys(budget).length === 0 ? {} : { budget }),
        ...(opts.hops === undefined ? {} : { hops: Number(opts.hops) as 1 | 2 }),
        ...(opts.proofs ? {} : { withProofs: false }),
        ...(opts.crossCheck === undefined ? {} : { crossCheck: opts.crossCheck })
      }
      const { answer, signed } = await client().retrieve(request)
      if (opts.save !== undefined) saveAnswer(opts.save, signed)
      if (globals().json === true) { print(JSON.stringify(answer, null, 2)); return }
      await proofReady()
      printRetrieval(answer)
    })

  program.command('contributions')
    .description('citations served per publisher and asset (the basis for rewarding the publishers whose knowledge grounded answers)')
    .option('--publisher <ss58>', 'only this publisher')
    .option('--from <date>', 'from this ISO date or date-time (inclusive)')
    .option('--to <date>', 'up to this ISO date or date-time (exclusive)')
    .addOption(new Option('--format <format>', 'output').choices(['table', 'csv', 'json']).default('table'))
    .action(async (opts: ContributionQuery & { format: 'table' | 'csv' | 'json' }) => {
      const q: ContributionQuery = { ...(opts.publisher === undefined ? {} : { publisher: opts.publisher }), ...(opts.from === undefined ? {} : { from: opts.from }), ...(opts.to === undefined ? {} : { to: opts.to }) }
      if (opts.format === 'csv') { process.stdout.write(await client().contributionsCsv(q)); return }
      const summary = await client().contributions(q)
      if (opts.format === 'json' || globals().json === true) { print(JSON.stringify(summary, null, 2)); return }
      print(`${summary.total} citation(s) served${summary.from === null ? '' : ` from ${summary.from}`}${summary.to === null ? '' : ` to ${summary.to}`}`)
      for (const p of summary.publishers) {
        print(`  ${p.publisher}  ${p.citations}`)
        for (const a of p.assets) print(`      ${String(a.citations).padStart(6)}  ${a.ual}`)
      }
      if (summary.truncated) process.stderr.write('(per-asset rows cut at the node\'s row cap; per-publisher counts are complete)\n')
    })

  program.command('bundle')
    .description('save an asset bundle (everything needed to verify it offline) to a file')
    .argument('<ual>')
    .argument('<out>')
    .action(async (ual: string, out: string) => {
      writeFileSync(out, JSON.stringify(await client().bundle(ual), null, 2) + '\n')
      print(`wrote ${out}`)
    })

  return program
}

/** Commander parser for a whole number ≥ 1. */
function positiveInt (flag: string): (v: string) => number {
  return (v) => {
    if (!/^[1-9]\d{0,8}$/.test(v)) throw new CairnError('API_BAD_REQUEST', `${flag} must be a whole number ≥ 1, got ${JSON.stringify(v)}`)
    return Number(v)
  }
}

/** The context block, then one entry per citation (checked here with the pure verifier), notes and cross-check. */
function printRetrieval (answer: RetrieveResponse): void {
  print(answer.context === '' ? '(no facts found)' : answer.context)
  if (answer.facts.length > 0) {
    print()
    print('Citations')
  }
  for (const f of answer.facts) {
    const c = f.citation
    const check = c.proof === undefined ? 'not checked (no proof: --no-proofs)' : ((r) => r.ok ? 'verified (proof, signature, anchor)' : `FAILED: CAIRN_${r.code ?? 'PROOF_INVALID'}: ${r.reason ?? ''}`)(verifyCitation(c as Citation))
    print(`[${f.marker}] ${c.ual} v${c.version}   score ${f.score}${f.statedBy > 1 ? `   stated by ${f.statedBy} assets` : ''}`)
    print(`    triple     ${c.triple}`)
    print(`    root       ${c.root}   leaf ${c.leafIndex}${c.proof === undefined ? '' : `, ${c.proof.length} proof hash(es)`}`)
    print(`    publisher  ${c.publisher}`)
    print(`    signature  ${c.signature}`)
    print(`    anchor     ${c.anchor.type} entry #${c.anchor.entry.height} ${c.anchor.entryHash}`)
    print(`    check      ${check}`)
  }
  if (answer.crossCheck !== undefined) {
    print()
    print(`Cross-check (${answer.crossCheck.peers.length} of ${answer.crossCheck.requested} peers)`)
    for (const p of answer.crossCheck.peers) print(`  ${p.peer}  agreed ${p.agreed}  disagreed ${p.disagreed}  missing ${p.missing}${p.error === undefined ? '' : `  error: ${p.error}`}`)
  }
  for (const note of answer.notes) process.stderr.write(`note: ${note}\n`)
  if (answer.truncated) process.stderr.write(`(cut by the budget: ${answer.budget.maxFacts} facts / ${answer.budget.maxChars} characters; raise --max-facts or --max-chars for more)\n`)
}

type SavedAnswer = Pick<SignedAnswer, 'body' | 'signature' | 'request'>

function saveAnswer (path: string, answer: SignedAnswer): void {
  const saved: SavedAnswer = { request: answer.request, body: answer.body, signature: answer.signature }
  writeFileSync(path, JSON.stringify(saved, null, 2) + '\n')
}

/** Accept headers per `cairn query --format`; `table` asks for JSON results (or Turtle for graph queries). */
const QUERY_ACCEPT = {
  table: 'application/sparql-results+json, text/turtle;q=0.9',
  json: 'application/sparql-results+json, application/ld+json;q=0.9',
  xml: 'application/sparql-results+xml',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  turtle: 'text/turtle',
  ntriples: 'application/n-triples',
  nquads: 'application/n-quads',
  jsonld: 'application/ld+json'
} as const

/** SPARQL JSON results as an aligned text table (terms in N-Triples notation). */
function renderTable (body: string): string {
  const doc = JSON.parse(body) as { head: { vars?: string[] }, boolean?: boolean, results?: { bindings: Array<Record<string, JsonTerm>> } }
  if (doc.boolean !== undefined) return String(doc.boolean)
  const vars = doc.head.vars ?? []
  const rows = (doc.results?.bindings ?? []).map((b) => vars.map((v) => b[v] === undefined ? '' : jsonTermToNTriples(b[v])))
  const widths = vars.map((v, i) => Math.min(80, Math.max(v.length + 1, ...rows.map((r) => r[i].length))))
  const line = (cells: string[]): string => cells.map((c, i) => (c.length > widths[i] ? c.slice(0, widths[i] - 1) + '…' : c).padEnd(widths[i])).join('  ').trimEnd()
  return [line(vars.map((v) => `?${v}`)), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), `(${rows.length} row${rows.length === 1 ? '' : 's'})`].join('\n')
}

async function loadSigner (path: string, passphraseFile: string | undefined): Promise<Signer> {
  await Promise.all([keysReady(), proofReady()])
  const keystore = readJson<Keystore>(path)
  const pass = keystore.encrypted ? await passphrase({ ...(passphraseFile === undefined ? {} : { file: passphraseFile }), prompt: `Passphrase for ${keystore.address}: ` }) : undefined
  return decryptKeystore(keystore, pass)
}

function printResult (r: PublishResult): void {
  const anchor = r.anchor === null ? 'pending' : `${r.anchor.type} entry #${r.anchor.entry.height} ${r.anchor.entryHash}`
  print(`UAL        ${r.ual}`)
  print(`version    ${r.version}${r.status === 'existing' ? '  (already published: identical content)' : ''}`)
  print(`root       ${r.root}`)
  print(`signature  ${r.signature}`)
  print(`anchor     ${anchor}`)
  print(`triples    ${r.tripleCount}${r.sourceName === null ? '' : `   (graph ${r.sourceName})`}`)
  print()
}

function printReport (report: BundleReport): void {
  print(`${report.ok ? 'VERIFIED' : 'FAILED'}  ${report.ual}`)
  for (const v of report.versions) {
    const checks = Object.entries(v.checks).map(([k, ok]) => `${k} ${ok ? 'ok' : 'FAIL'}`).join(', ')
    print(`  v${v.version}  ${v.ok ? 'ok' : 'FAIL'}  (${checks})${v.code === undefined ? '' : `  CAIRN_${v.code}: ${v.reason ?? ''}`}`)
  }
}
