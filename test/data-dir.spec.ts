import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { keysReady } from '../src/asset/keys.js'
import type { Keystore } from '../src/asset/keys.js'
import { isAddress } from '../src/asset/ual.js'
import { loadConfig } from '../src/config.js'
import { DATA_FILES, prepareDataDir, readToken } from '../src/data-dir.js'
import { CairnError } from '../src/errors.js'
import type { CairnErrorCode } from '../src/errors.js'
import { proofReady, toHex, verifySigned } from '../src/proof/index.js'
import { startTestNode, tempDir } from './helpers/node.js'
import { expectCode } from './helpers/errors.js'

const mode = (path: string): number => statSync(path).mode & 0o777


describe('data directory', () => {
  let root: string
  let dataDir: string

  beforeAll(async () => { await Promise.all([keysReady(), proofReady()]) })
  beforeEach(() => {
    root = tempDir('cairn-data-')
    dataDir = join(root, 'node')
  })
  afterEach(() => { rmSync(root, { recursive: true, force: true }) })

  const prepare = (env: NodeJS.ProcessEnv = {}, flags: Parameters<typeof loadConfig>[0] = {}): ReturnType<typeof prepareDataDir> =>
    prepareDataDir(loadConfig({ dataDir, ...flags }, env), env)

  it('first run creates the directory, config, node key and token; secrets are 0600 whatever the umask', () => {
    const umask = process.umask(0o000)
    let state: ReturnType<typeof prepareDataDir>
    try {
      state = prepare({}, { network: 'testnet', port: 9123 })
    } finally {
      process.umask(umask)
    }
    const files = {
      config: join(dataDir, DATA_FILES.config),
      nodeKey: join(dataDir, DATA_FILES.nodeKey),
      token: join(dataDir, DATA_FILES.token)
    }
    expect(state.created).toEqual([files.config, files.nodeKey, files.token])
    expect(mode(dataDir)).toBe(0o700)
    expect(mode(files.nodeKey)).toBe(0o600)
    expect(mode(files.token)).toBe(0o600)
    // The config file records the effective network and port, so the next start needs no flags.
    expect(JSON.parse(readFileSync(files.config, 'utf8'))).toEqual({ network: 'testnet', port: 9123 })
    expect(loadConfig({ dataDir }, {})).toMatchObject({ network: 'testnet', port: 9123 })

    expect(state.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(readToken(dataDir)).toBe(state.token)
    const keystore = JSON.parse(readFileSync(files.nodeKey, 'utf8')) as Keystore
    expect(keystore).toMatchObject({ format: 'cairn-keystore/1', type: 'ed25519', address: state.nodeSigner.address, encrypted: false })
    expect(keystore.warning).toMatch(/UNENCRYPTED/)
    expect(isAddress(state.nodeSigner.address)).toBe(true)
    const message = new TextEncoder().encode('ledger entry')
    expect(verifySigned(message, toHex(state.nodeSigner.sign(message)), state.nodeSigner.address)).toBe(true)
  })

  it('second run creates nothing and reuses the same node address and token', () => {
    const first = prepare()
    const before = [DATA_FILES.config, DATA_FILES.nodeKey, DATA_FILES.token].map((f) => readFileSync(join(dataDir, f), 'utf8'))
    const second = prepare()
    expect(second.created).toEqual([])
    expect(second.nodeSigner.address).toBe(first.nodeSigner.address)
    expect(second.token).toBe(first.token)
    expect([DATA_FILES.config, DATA_FILES.nodeKey, DATA_FILES.token].map((f) => readFileSync(join(dataDir, f), 'utf8'))).toEqual(before)
  })

  it('a missing file is recreated alone: a new token keeps the node key', () => {
    const first = prepare()
    rmSync(join(dataDir, DATA_FILES.token))
    const second = prepare()
    expect(second.created).toEqual([join(dataDir, DATA_FILES.token)])
    expect(second.nodeSigner.address).toBe(first.nodeSigner.address)
    expect(second.token).not.toBe(first.token)
  })

  it('nodeKeyType sr25519 makes an sr25519 node key (the default is ed25519: first-run test above)', () => {
    const state = prepare({}, { nodeKeyType: 'sr25519' })
    expect(state.nodeSigner.type).toBe('sr25519')
    expect((JSON.parse(readFileSync(join(dataDir, DATA_FILES.nodeKey), 'utf8')) as Keystore).type).toBe('sr25519')
  })

  it('CAIRN_NODE_PASSPHRASE encrypts the node key; later runs need the same passphrase', () => {
    const first = prepare({ CAIRN_NODE_PASSPHRASE: 'node secret' })
    const keystore = JSON.parse(readFileSync(join(dataDir, DATA_FILES.nodeKey), 'utf8')) as Keystore
    expect(keystore.encrypted).toBe(true)
    expect(keystore.warning).toBeUndefined()
    expect(prepare({ CAIRN_NODE_PASSPHRASE: 'node secret' }).nodeSigner.address).toBe(first.nodeSigner.address)
    expectCode(() => prepare({}), 'KEY_BAD_PASSPHRASE')
    expectCode(() => prepare({ CAIRN_NODE_PASSPHRASE: 'wrong' }), 'KEY_BAD_PASSPHRASE')
  })

  it('a node key file that is not JSON is KEY_INVALID', () => {
    prepare()
    writeFileSync(join(dataDir, DATA_FILES.nodeKey), '{ broken')
    expectCode(() => prepare(), 'KEY_INVALID')
  })

  it('readToken of a directory never started is KEY_NOT_FOUND', () => {
    const err = expectCode(() => readToken(join(root, 'never-started')), 'KEY_NOT_FOUND')
    expect(err.message).toContain('start the node once')
    expect(existsSync(join(root, 'never-started'))).toBe(false)
  })

  it('a real node restarted on the same data directory keeps its address and token', async () => {
    let t = await startTestNode({}, dataDir)
    try {
      const health = await (await fetch(`${t.url}/healthz`)).json() as { node: string, network: string }
      expect(health).toMatchObject({ status: 'ok', network: 'local', node: t.node.components.nodeSigner.address })
      expect(t.node.created).toHaveLength(3)
      const { token } = t
      t = await t.restart()
      expect(t.node.created).toEqual([])
      expect(t.token).toBe(token)
      const again = await (await fetch(`${t.url}/healthz`)).json() as { node: string }
      expect(again.node).toBe(health.node)
      // The token still authorizes writes after the restart.
      const res = await fetch(`${t.url}/assets`, {
        method: 'POST',
        headers: { 'content-type': 'application/n-triples', authorization: `Bearer ${token}` },
        body: '<https://ex.org/a> <https://ex.org/p> "after restart" .\n'
      })
      expect(res.status).toBe(201)
    } finally {
      await t.close()
    }
  })
})
