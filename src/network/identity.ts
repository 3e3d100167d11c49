import { existsSync, readFileSync } from 'node:fs'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { writeSecretFile } from '../data-dir.js'
import { CairnError } from '../errors.js'

/**
 * The node's persistent libp2p identity (ed25519), kept beside its Cairn node key so the peer id survives
 * restarts: peers' shard assignments depend on it.
 */
export async function loadOrCreatePeerKey (path: string): Promise<{ key: PrivateKey, created: boolean }> {
  if (existsSync(path)) {
    try {
      return { key: privateKeyFromProtobuf(readFileSync(path)), created: false }
    } catch (err) {
      throw new CairnError('KEY_INVALID', `network: ${path} is not a libp2p private key; move it away to make a new identity`, { cause: err })
    }
  }
  const key = await generateKeyPair('Ed25519')
  writeSecretFile(path, Buffer.from(privateKeyToProtobuf(key)))
  return { key, created: true }
}
