import { u8aIsWrapped, u8aUnwrapBytes, u8aWrapBytes } from '@polkadot/util'
import { decodeAddress, signatureVerify } from '@polkadot/util-crypto'
import { ed25519Verify, isReady, sr25519Verify } from '@polkadot/wasm-crypto'

import { utf8 } from './hash.js'
import { fromHex, toHex } from './hex.js'
import { isHash, isIsoUtc, isPositiveInt, isRecord, isSignatureHex, isToken, malformed } from './validate.js'

/** What a publisher signs for one asset version. */
export interface VersionClaim {
  ual: string
  version: number
  /** 0x merkle root of this version's canonical lines. */
  root: string
  /** 0x root of the previous version, null for version 1. */
  previousRoot: string | null
  /** ISO-8601 UTC, e.g. `2025-01-01T00:00:00.000Z`; signed as the exact string. */
  timestamp: string
}

const CLAIM_TAG = 'cairn-claim-v1'

export function assertClaim (claim: unknown, where = 'claim'): asserts claim is VersionClaim {
  if (!isRecord(claim)) malformed(where, 'claim', 'an object')
  if (!isToken(claim.ual)) malformed(where, 'ual', 'a non-empty string without whitespace')
  if (!isPositiveInt(claim.version)) malformed(where, 'version', 'a positive integer')
  if (!isHash(claim.root)) malformed(where, 'root', '0x-prefixed lowercase hex of 32 bytes')
  if (claim.previousRoot !== null && !isHash(claim.previousRoot)) malformed(where, 'previousRoot', 'null or 0x-prefixed lowercase hex of 32 bytes')
  if (!isIsoUtc(claim.timestamp)) malformed(where, 'timestamp', 'an ISO-8601 UTC timestamp (YYYY-MM-DDTHH:MM:SS[.fff]Z)')
}

/**
 * The exact bytes a publisher signs: utf8 of
 * `'cairn-claim-v1\n' + ual + '\n' + version + '\n' + root + '\n' + (previousRoot ?? '') + '\n' + timestamp`.
 * Throws PROOF_MALFORMED on a bad field, so nobody signs an ambiguous message.
 */
export function claimMessage (claim: VersionClaim): Uint8Array {
  assertClaim(claim, 'claimMessage')
  return utf8(`${CLAIM_TAG}\n${claim.ual}\n${claim.version}\n${claim.root}\n${claim.previousRoot ?? ''}\n${claim.timestamp}`)
}

/**
 * True when `signature` (0x, 64 bytes) is a valid sr25519 or ed25519 signature by `address` (SS58) over
 * {@link claimMessage}. A malformed signature or address gives false; a malformed claim throws PROOF_MALFORMED.
 */
export function verifyClaim (claim: VersionClaim, signature: string, publisher: string): boolean {
  return verifySigned(claimMessage(claim), signature, publisher)
}

/**
 * True when `signature` (0x, 64 bytes) by `address` (SS58) over `message` verifies as sr25519 or ed25519; false on
 * anything malformed. It also accepts a signature over `<Bytes>` + message + `</Bytes>`, which is what browser
 * wallets (polkadot{.js} extension `signRaw`) produce — deliberately kept.
 *
 * Once the WASM backend is ready ({@link proofReady}) this calls @polkadot/wasm-crypto directly: util-crypto's
 * `signatureVerify` runs sr25519 in pure JS (~2.8 ms against ~0.3 ms, ../shared/PERF-NOTES.md). The acceptance
 * rules are signatureVerify's restricted to the two key types: try the message as given, then — unless it carries
 * the Ethereum prefix — its `<Bytes>` wrapped (or, when already wrapped, unwrapped) form. Before WASM is ready it
 * falls back to signatureVerify itself.
 */
export function verifySigned (message: Uint8Array, signature: string, address: string): boolean {
  if (!(message instanceof Uint8Array) || !isSignatureHex(signature) || typeof address !== 'string') return false
  // Signature and hex contain no '\n', so the key splits back into its parts from the right: one key per triple.
  const key = `${address}\n${signature}\n${toHex(message)}`
  if (verified.delete(key)) {
    verified.set(key, true)
    return true
  }
  if (!checkSignature(message, signature, address)) return false
  if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value as string)
  verified.set(key, true)
  return true
}

/**
 * Signatures that verified, most recently used last. A check is a pure function of (message, signature, address), so
 * a repeat answers from here: the citations of one answer mostly share their version's claim and their ledger
 * entry, and an sr25519 check costs ~0.3–0.5 ms against a few µs for the key. Failures are not kept.
 */
const verified = new Map<string, true>()
const VERIFIED_MAX = 1024

function checkSignature (message: Uint8Array, signature: string, address: string): boolean {
  try {
    if (!isReady()) {
      const res = signatureVerify(message, fromHex(signature), address)
      return res.isValid && (res.crypto === 'sr25519' || res.crypto === 'ed25519')
    }
    const publicKey = publicKeyOf(address)
    if (publicKey.length !== 32) return false
    const sig = fromHex(signature)
    if (verifyWasm(message, sig, publicKey)) return true
    // signatureVerify leaves Ethereum-prefixed messages alone and tries the other <Bytes> form of everything else.
    const isBytesWrapped = u8aIsWrapped(message, false)
    if (!isBytesWrapped && u8aIsWrapped(message, true)) return false
    return verifyWasm(isBytesWrapped ? u8aUnwrapBytes(message) : u8aWrapBytes(message), sig, publicKey)
  } catch {
    return false
  }
}

/**
 * The public key an SS58 address names (decodeAddress: base58 and a blake2b checksum, ~90 µs here — a fifth of a
 * signature check); a node sees few signers, so decoded keys are kept (bounded). Throws like decodeAddress. Do not
 * modify the returned bytes: they are shared.
 */
export function publicKeyOf (address: string): Uint8Array {
  let key = publicKeys.get(address)
  if (key === undefined) {
    key = decodeAddress(address)
    if (publicKeys.size >= PUBLIC_KEYS_MAX) publicKeys.clear()
    publicKeys.set(address, key)
  }
  return key
}

const publicKeys = new Map<string, Uint8Array>()
const PUBLIC_KEYS_MAX = 1024

/**
 * Either key type; the order does not change what is accepted. sr25519 goes first: it is the default key type, and
 * an ed25519 signature (S < 2^253, so its top bit is clear) fails sr25519's marker-bit check before any curve
 * arithmetic, so each signature costs one real verification. An invalid point or encoding is just false.
 */
function verifyWasm (message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    if (sr25519Verify(signature, message, publicKey)) return true
  } catch {}
  if (fastEd25519?.(signature, message, publicKey) === true) return true
  try {
    return ed25519Verify(signature, message, publicKey)
  } catch {
    return false
  }
}

/** (signature, message, publicKey) → valid; must not throw. */
export type Ed25519Verify = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean

let fastEd25519: Ed25519Verify | undefined

/**
 * Let a faster ed25519 verifier answer first (Node's OpenSSL: ~7× faster than wasm-crypto; this module stays free of
 * Node APIs, so the Node side passes it in). Only its "valid" is taken: a signature it rejects still goes to
 * wasm-crypto, which therefore decides every verdict, so what is accepted cannot change as long as the fast one
 * accepts nothing wasm-crypto rejects — true of an RFC 8032 verifier such as OpenSSL's, whose rules (canonical
 * encodings, cofactorless equation) are stricter than wasm-crypto's (ZIP-215). `undefined` removes it.
 */
export function useFastEd25519Verify (verify: Ed25519Verify | undefined): void {
  fastEd25519 = verify
}
