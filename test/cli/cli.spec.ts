import { execFile, spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/node.js'

const run = promisify(execFile)
const BIN = new URL('../../bin/cairn.js', import.meta.url).pathname

interface Result { code: number, stdout: string, stderr: string }

/** The real `cairn` binary (compiled by `npm test`'s build step) as a child process. */
async function cairn (args: string[], env: Record<string, string> = {}): Promise<Result> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 60_000 })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number, stdout: string, stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('cairn CLI against a node started with `cairn start`', () => {
  const dir = tempDir('cairn-cli-')
  const dataDir = join(dir, 'data')
  let node: ChildProcess
  let env: Record<string, string>

  beforeAll(async () => {
    expect(existsSync(new URL('../../dist/cli/index.js', import.meta.url)), 'run `npm run build` first (npm test does)').toBe(true)
    node = spawn(process.execPath, [BIN, 'start', '--port', '0', '--log-level', 'warn'], { env: { ...process.env, CAIRN_DATA_DIR: dataDir } })
    const url = await new Promise<string>((resolve, reject) => {
      let out = ''
      node.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        const m = /listening on (http:\/\/\S+)/.exec(out)
        if (m !== null) resolve(m[1])
      })
      node.once('exit', (code) => { reject(new Error(`node exited ${code}: ${out}`)) })
    })
    env = { CAIRN_URL: url, CAIRN_DATA_DIR: dataDir, CAIRN_KEYS_DIR: join(dir, 'keys') }
    writeFileSync(join(dir, 'alice.ttl'), '@prefix s: <https://schema.org/> .\n<https://example.org/alice> a s:Person ; s:name "Alice" ; s:knows [ s:name "Bob" ] .\n')
    writeFileSync(join(dir, 'alice2.ttl'), '@prefix s: <https://schema.org/> .\n<https://example.org/alice> a s:Person ; s:name "Alice Liddell" .\n')
  })

  afterAll(async () => {
    if (node !== undefined && node.exitCode === null) {
      node.kill('SIGTERM')
      await new Promise((resolve) => node.once('exit', resolve))
    }
    rmSync(dir, { recursive: true, force: true })
  })

  it('created its data dir with a 0600 token that `cairn token` prints', async () => {
    const token = await cairn(['token'], env)
    expect(token.code).toBe(0)
    expect(token.stdout.trim()).toBe(readFileSync(join(dataDir, 'api-token'), 'utf8').trim())
    expect(statSync(join(dataDir, 'api-token')).mode & 0o777).toBe(0o600)
    expect(statSync(join(dataDir, 'node-key.json')).mode & 0o777).toBe(0o600)
  })

  it('keys new: encrypted with a passphrase, or explicitly unencrypted; mnemonic shown once', async () => {
    const passFile = join(dir, 'pass.txt')
    writeFileSync(passFile, 'correct horse\n')
    const enc = await cairn(['--json', 'keys', 'new', '--out', join(dir, 'enc.json'), '--passphrase-file', passFile], env)
    expect(enc.code).toBe(0)
    const info = JSON.parse(enc.stdout) as { address: string, encrypted: boolean, mnemonic: string }
    expect(info.encrypted).toBe(true)
    expect(info.mnemonic.split(' ')).toHaveLength(24)
    expect(readFileSync(join(dir, 'enc.json'), 'utf8')).not.toContain(info.mnemonic.split(' ')[0] + ' ' + info.mnemonic.split(' ')[1])
    const ed = await cairn(['keys', 'new', '--type', 'ed25519', '--unencrypted', '--out', join(dir, 'ed.json')], env)
    expect(ed.stdout).toMatch(/type\s+ed25519/)
    expect(ed.stdout).toContain('UNENCRYPTED')
    expect(JSON.parse(readFileSync(join(dir, 'ed.json'), 'utf8')).warning).toMatch(/UNENCRYPTED/)
    const refused = await cairn(['keys', 'new', '--out', join(dir, 'none.json')], env)
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toContain('CAIRN_KEY_INVALID')
    const restored = await cairn(['--json', 'keys', 'new', '--out', join(dir, 'restored.json'), '--passphrase-file', passFile, '--mnemonic', info.mnemonic], env)
    expect(JSON.parse(restored.stdout).address).toBe(info.address)
  })

  it('publish (locally signed) → get → update → history → verify, and bundle files verify offline', async () => {
    const passFile = join(dir, 'pass.txt')
    const keyArgs = ['--key', join(dir, 'enc.json'), '--passphrase-file', passFile]
    const published = await cairn(['publish', join(dir, 'alice.ttl'), ...keyArgs], env)
    expect(published.code, published.stderr).toBe(0)
    for (const field of ['UAL', 'version', 'root', 'signature', 'anchor']) expect(published.stdout).toMatch(new RegExp(`^${field}\\s+\\S+`, 'm'))
    const ual = /^UAL\s+(\S+)/m.exec(published.stdout)![1]
    const address = JSON.parse(readFileSync(join(dir, 'enc.json'), 'utf8')).address as string
    expect(ual).toContain(`/${address}/`)

    const turtle = await cairn(['get', ual, '--format', 'turtle'], env)
    expect(turtle.stdout).toContain('"Alice"')
    const updated = await cairn(['update', ual, join(dir, 'alice2.ttl'), ...keyArgs], env)
    expect(updated.code, updated.stderr).toBe(0)
    expect(updated.stdout).toMatch(/^version\s+2/m)
    const other = await cairn(['update', ual, join(dir, 'alice.ttl'), '--key', join(dir, 'ed.json')], env)
    expect(other.code).not.toBe(0)
    expect(other.stderr).toContain('CAIRN_ASSET_NOT_PUBLISHER')

    const history = await cairn(['history', ual], env)
    expect(history.stdout).toMatch(/v1 .*\n.*v2 .*\(current\)/)
    expect((await cairn(['get', ual, '--format', 'ntriples', '--version', '1'], env)).stdout).toContain('"Alice"')

    const verified = await cairn(['verify', ual], env)
    expect(verified.code).toBe(0)
    expect(verified.stdout).toContain('VERIFIED')
    const bundlePath = join(dir, 'bundle.json')
    expect((await cairn(['bundle', ual, bundlePath], env)).code).toBe(0)
    expect((await cairn(['verify', bundlePath], env)).code).toBe(0)
    const bundle = JSON.parse(readFileSync(bundlePath, 'utf8'))
    const lines = bundle.versions[0].lines as string[]
    const i = lines.findIndex((l) => l.includes('"Alice"'))
    lines[i] = lines[i].replace('"Alice"', '"Mallory"')
    writeFileSync(bundlePath, JSON.stringify(bundle))
    const tampered = await cairn(['verify', bundlePath], env)
    expect(tampered.code).not.toBe(0)
    expect(tampered.stdout).toContain('FAILED')
    expect(tampered.stderr).toMatch(/CAIRN_PROOF_/)
  })

  it('publishes a directory of mixed formats with the node key and the token', async () => {
    const sub = join(dir, 'many')
    rmSync(sub, { recursive: true, force: true })
    const { mkdirSync } = await import('node:fs')
    mkdirSync(sub)
    writeFileSync(join(sub, 'a.nt'), '<https://ex.org/a> <https://ex.org/p> "a" .\n')
    writeFileSync(join(sub, 'b.jsonld'), JSON.stringify({ '@context': 'https://schema.org/', '@id': 'https://ex.org/b', name: 'b' }))
    writeFileSync(join(sub, 'c.trig'), '<https://ex.org/g1> { <https://ex.org/c> <https://ex.org/p> "c1" . }\n<https://ex.org/g2> { <https://ex.org/c> <https://ex.org/p> "c2" . }\n')
    writeFileSync(join(sub, 'notes.txt'), 'not rdf')
    const out = await cairn(['--json', 'publish', sub], env)
    expect(out.code, out.stderr).toBe(0)
    const results = JSON.parse(out.stdout) as Array<{ ual: string, status: string }>
    expect(results).toHaveLength(4)
    expect(results.every((r) => r.status === 'created')).toBe(true)
    const noToken = await cairn(['publish', join(sub, 'a.nt'), '--token', 'wrong'], env)
    expect(noToken.stderr).toContain('CAIRN_API_UNAUTHORIZED')
  })

  it('prints CODE: message and exits non-zero on errors', async () => {
    const bad = await cairn(['get', 'did:cairn:local/x'], env)
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/^CAIRN_ASSET_BAD_UAL: /)
    const down = await cairn(['history', 'did:cairn:local/x'], { ...env, CAIRN_URL: 'http://127.0.0.1:9' })
    expect(down.stderr).toMatch(/^CAIRN_(ASSET_BAD_UAL|NET_PEER_UNREACHABLE)/)
  })
})
