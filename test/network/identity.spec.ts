import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterAll, describe, expect, it } from 'vitest'
import { CairnError } from '../../src/errors.js'
import { loadOrCreatePeerKey } from '../../src/network/identity.js'
import { tempDir } from '../helpers/node.js'

describe('persistent libp2p identity', () => {
  const dir = tempDir('cairn-peer-key-')
  afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

  it('creates an ed25519 key in a 0600 file once, then loads the same peer id', async () => {
    const path = join(dir, 'peer-key')
    const first = await loadOrCreatePeerKey(path)
    expect(first.created).toBe(true)
    expect(first.key.type).toBe('Ed25519')
    expect(statSync(path).mode & 0o777).toBe(0o600)
    const bytes = readFileSync(path)
    const again = await loadOrCreatePeerKey(path)
    expect(again.created).toBe(false)
    expect(peerIdFromPrivateKey(again.key).toString()).toBe(peerIdFromPrivateKey(first.key).toString())
    expect(readFileSync(path)).toEqual(bytes)
  })

  it('refuses a file that is not a libp2p key with KEY_INVALID, naming the fix', async () => {
    const path = join(dir, 'garbage')
    writeFileSync(path, 'not a key')
    const err = await loadOrCreatePeerKey(path).then(() => undefined, (e: unknown) => e)
    expect(err).toBeInstanceOf(CairnError)
    expect((err as CairnError).code).toBe('CAIRN_KEY_INVALID')
    expect((err as CairnError).message).toContain('move it away')
    expect(readFileSync(path, 'utf8')).toBe('not a key')
  })
})
