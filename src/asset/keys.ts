import { createPrivateKey, createPublicKey, sign as nativeSign, verify as nativeVerify } from 'node:crypto'
import { ed25519KeypairFromSeed, sr25519KeypairFromSeed, sr25519Sign } from '@polkadot/wasm-crypto'
import { stringToU8a, u8aToString } from '@polkadot/util'
import {
  cryptoWaitReady, encodeAddress, jsonDecrypt, jsonEncrypt, mnemonicGenerate, mnemonicToMiniSecret, mnemonicValidate
} from '@polkadot/util-crypto'
import { CairnError } from '../errors.js'
import { toHex, useFastEd25519Verify } from '../proof/index.js'

export type KeyType = 'sr25519' | 'ed25519'
export const KEY_TYPES: readonly KeyType[] = ['sr25519', 'ed25519']
/** SS58 prefix 42 = generic Substrate; addresses look like every other Polkadot-SDK dev address. */
export const SS58_PREFIX = 42

/** Something that signs for one publisher address. Keys never leave the process that holds the Signer. */
export interface Signer {
  readonly address: string
  readonly type: KeyType
  sign (message: Uint8Array): Uint8Array
}

/**
 * Sign with @polkadot/wasm-crypto directly: util-crypto's sr25519 path is pure JS and 7× slower
 * (../shared/PERF-NOTES.md). Call {@link keysReady} first.
 */
export function signerFromSeed (seed: Uint8Array, type: KeyType = 'sr25519'): Signer {
  if (seed.length !== 32) throw new CairnError('KEY_INVALID', 'signerFromSeed: a seed is 32 bytes')
  if (type === 'sr25519') {
    const pair = sr25519KeypairFromSeed(seed)
    const secret = pair.slice(0, 64)
    const publicKey = pair.slice(64)
    return { address: encodeAddress(publicKey, SS58_PREFIX), type, sign: (m) => sr25519Sign(publicKey, secret, m) }
  }
  const publicKey = ed25519KeypairFromSeed(seed).slice(32)
  // Ed25519 signatures are deterministic (RFC 8032), so OpenSSL's are byte-identical to wasm-crypto's and ~5x
  // cheaper (45 vs 250 µs here): it signs every response of /sparql and /retrieve when the node key is ed25519.
  const key = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' })
  return { address: encodeAddress(publicKey, SS58_PREFIX), type, sign: (m) => new Uint8Array(nativeSign(null, m, key)) }
}

/** DER header of a PKCS#8 Ed25519 private key (RFC 8410); the 32-byte seed follows it. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')

/** Ready to sign and verify: the WASM backend loaded, and ed25519 checks answered first by OpenSSL (src/proof). */
export async function keysReady (): Promise<void> {
  await cryptoWaitReady()
  useFastEd25519Verify(nativeEd25519Verify)
}

/** An ed25519 check through OpenSSL (~60 µs against ~420 µs in wasm-crypto here); key objects kept per public key. */
export function nativeEd25519Verify (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    const id = toHex(publicKey)
    let key = ed25519PublicKeys.get(id)
    if (key === undefined) {
      key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' })
      if (ed25519PublicKeys.size >= ED25519_PUBLIC_KEYS_MAX) ed25519PublicKeys.clear()
      ed25519PublicKeys.set(id, key)
    }
    return nativeVerify(null, message, key, signature)
  } catch {
    return false
  }
}

const ed25519PublicKeys = new Map<string, ReturnType<typeof createPublicKey>>()
const ED25519_PUBLIC_KEYS_MAX = 1_000
/** DER header of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the 32-byte public key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

export function signerFromMnemonic (mnemonic: string, type: KeyType = 'sr25519'): Signer {
  if (!mnemonicValidate(mnemonic)) throw new CairnError('KEY_INVALID', 'signerFromMnemonic: not a valid BIP-39 mnemonic; check the words')
  return signerFromSeed(mnemonicToMiniSecret(mnemonic), type)
}

export function newMnemonic (): string {
  return mnemonicGenerate(24)
}

/**
 * A keystore file: the 32-byte seed, encrypted with polkadot's own scheme (scrypt + xsalsa20-poly1305, the format
 * polkadot-js uses for account JSON) when a passphrase is given; otherwise stored in the clear and marked so.
 */
export interface Keystore {
  format: 'cairn-keystore/1'
  type: KeyType
  address: string
  encrypted: boolean
  /** Present only on unencrypted files, so nobody mistakes one for a production key. */
  warning?: string
  encoded: string
  encoding: { content: string[], type: string[], version: string }
}

export function encryptKeystore (seed: Uint8Array, type: KeyType, passphrase: string | undefined): Keystore {
  const address = signerFromSeed(seed, type).address
  const json = jsonEncrypt(stringToU8a(toHex(seed)), ['cairn-seed', type], passphrase === '' ? undefined : passphrase)
  const encrypted = passphrase !== undefined && passphrase !== ''
  return {
    format: 'cairn-keystore/1',
    type,
    address,
    encrypted,
    ...(encrypted ? {} : { warning: 'UNENCRYPTED development key: anyone who reads this file can sign as this publisher' }),
    encoded: json.encoded,
    encoding: json.encoding as Keystore['encoding']
  }
}

export function decryptKeystore (keystore: Keystore, passphrase: string | undefined): Signer {
  if (keystore?.format !== 'cairn-keystore/1') throw new CairnError('KEY_INVALID', 'decryptKeystore: not a cairn-keystore/1 file')
  if (keystore.encrypted && (passphrase === undefined || passphrase === '')) {
    throw new CairnError('KEY_BAD_PASSPHRASE', `decryptKeystore: key ${keystore.address} is encrypted; pass its passphrase (CAIRN_PASSPHRASE or --passphrase-file)`)
  }
  let seedHex: string
  try {
    seedHex = u8aToString(jsonDecrypt({ encoded: keystore.encoded, encoding: keystore.encoding as never }, keystore.encrypted ? passphrase : null))
  } catch (err) {
    throw new CairnError('KEY_BAD_PASSPHRASE', `decryptKeystore: cannot decrypt key ${keystore.address}: wrong passphrase?`, { cause: err })
  }
  const seed = Uint8Array.from(Buffer.from(seedHex.slice(2), 'hex'))
  const signer = signerFromSeed(seed, keystore.type)
  if (signer.address !== keystore.address) throw new CairnError('KEY_INVALID', `decryptKeystore: file says ${keystore.address} but the key is ${signer.address}`)
  return signer
}
