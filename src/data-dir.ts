import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { decryptKeystore, encryptKeystore, newMnemonic } from './asset/keys.js'
import type { KeyType, Keystore, Signer } from './asset/keys.js'
import { mnemonicToMiniSecret } from '@polkadot/util-crypto'
import { CONFIG_FILE } from './config.js'
import type { CairnConfig } from './config.js'
import { CairnError } from './errors.js'

/** Files a node keeps in its data directory. */
export const DATA_FILES = {
  store: 'cairn.sqlite',
  nodeKey: 'node-key.json',
  token: 'api-token',
  peerKey: 'peer-key',
  config: CONFIG_FILE
} as const

/** Write a secret file readable by its owner only (0600), whatever the umask. */
export function writeSecretFile (path: string, content: string | Uint8Array): void {
  writeFileSync(path, content, { mode: 0o600 })
  chmodSync(path, 0o600)
}

export interface DataDirState {
  created: string[]
  token: string
  nodeSigner: Signer
}

/**
 * First run: create the data directory, a config file with the effective network, the node key and the API token.
 * Later runs read them. The node key is unencrypted unless CAIRN_NODE_PASSPHRASE is set, so a node can start
 * unattended; the file says so in its `warning` field.
 */
export function prepareDataDir (config: CairnConfig, env: NodeJS.ProcessEnv = process.env): DataDirState {
  const dir = config.dataDir
  const created: string[] = []
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const configPath = join(dir, DATA_FILES.config)
  if (!existsSync(configPath)) {
    writeFileSync(configPath, JSON.stringify({ network: config.network, port: config.port }, null, 2) + '\n')
    created.push(configPath)
  }
  const keyPath = join(dir, DATA_FILES.nodeKey)
  const passphrase = env.CAIRN_NODE_PASSPHRASE
  if (!existsSync(keyPath)) {
    const keystore = encryptKeystore(mnemonicToMiniSecret(newMnemonic()), config.nodeKeyType as KeyType, passphrase)
    writeSecretFile(keyPath, JSON.stringify(keystore, null, 2) + '\n')
    created.push(keyPath)
  }
  const nodeSigner = decryptKeystore(readJson<Keystore>(keyPath), passphrase)
  const tokenPath = join(dir, DATA_FILES.token)
  if (!existsSync(tokenPath)) {
    writeSecretFile(tokenPath, randomBytes(32).toString('base64url') + '\n')
    created.push(tokenPath)
  }
  return { created, token: readToken(dir), nodeSigner }
}

export function readToken (dataDir: string): string {
  const path = join(dataDir, DATA_FILES.token)
  if (!existsSync(path)) throw new CairnError('KEY_NOT_FOUND', `no API token at ${path}; start the node once (npm start) to create it`)
  return readFileSync(path, 'utf8').trim()
}

export function readJson<T> (path: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T
  } catch (err) {
    throw new CairnError('KEY_INVALID', `cannot read ${path}: ${(err as Error).message}`, { cause: err })
  }
}
