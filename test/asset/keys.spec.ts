import { Keyring } from '@polkadot/keyring'
import { u8aToHex } from '@polkadot/util'
import { mnemonicValidate } from '@polkadot/util-crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { KEY_TYPES, decryptKeystore, encryptKeystore, keysReady, newMnemonic, signerFromMnemonic, signerFromSeed } from '../../src/asset/keys.js'
import type { KeyType, Keystore } from '../../src/asset/keys.js'
import { isAddress } from '../../src/asset/ual.js'
import { CairnError } from '../../src/errors.js'
import type { CairnErrorCode } from '../../src/errors.js'
import { proofReady, toHex, verifySigned } from '../../src/proof/index.js'
import { expectCode } from '../helpers/errors.js'

const SEED = new Uint8Array(32).map((_b, i) => i + 1)
const MESSAGE = new TextEncoder().encode('cairn-claim-v1\ndid:cairn:local/…\n1\n0x…\n\n2025-01-01T00:00:00.000Z')
// The BIP-39 test mnemonic polkadot-js uses in its own tests.
const MNEMONIC = 'seed sock milk update focus rotate barely fade car face mechanic mercy'


describe('keys', () => {
  beforeAll(async () => { await Promise.all([keysReady(), proofReady()]) })

  describe.each(KEY_TYPES.map((t) => [t]))('%s signer', (type: KeyType) => {
    it('has an SS58 address (prefix 42) and signs messages verifySigned accepts', () => {
      const signer = signerFromSeed(SEED, type)
      expect(signer.type).toBe(type)
      expect(isAddress(signer.address)).toBe(true)
      expect(signer.address.startsWith('5')).toBe(true)
      const signature = toHex(signer.sign(MESSAGE))
      expect(signature).toMatch(/^0x[0-9a-f]{128}$/)
      expect(verifySigned(MESSAGE, signature, signer.address)).toBe(true)
    })

    it('signs exactly as @polkadot/keyring does for the same seed (ed25519: byte-identical, it is deterministic)', () => {
      const signer = signerFromSeed(SEED, type)
      const pair = new Keyring({ type, ss58Format: 42 }).addFromSeed(SEED)
      expect(signer.address).toBe(pair.address)
      for (const message of [MESSAGE, new Uint8Array(0), new Uint8Array(5000).fill(7)]) {
        const ours = signer.sign(message)
        if (type === 'ed25519') expect(u8aToHex(ours)).toBe(u8aToHex(pair.sign(message)))
        expect(pair.verify(message, ours, pair.publicKey)).toBe(true)
      }
    })

    it('signatures do not verify for another message or another key', () => {
      const signer = signerFromSeed(SEED, type)
      const other = signerFromSeed(new Uint8Array(32).fill(9), type)
      const signature = toHex(signer.sign(MESSAGE))
      expect(verifySigned(new TextEncoder().encode('another message'), signature, signer.address)).toBe(false)
      expect(verifySigned(MESSAGE, signature, other.address)).toBe(false)
      const flipped = signature.slice(0, -1) + (signature.endsWith('0') ? '1' : '0')
      expect(verifySigned(MESSAGE, flipped, signer.address)).toBe(false)
    })

    it('is deterministic in its address; the seed must be 32 bytes', () => {
      expect(signerFromSeed(SEED, type).address).toBe(signerFromSeed(SEED.slice(), type).address)
      expectCode(() => signerFromSeed(new Uint8Array(31), type), 'KEY_INVALID')
      expectCode(() => signerFromSeed(new Uint8Array(64), type), 'KEY_INVALID')
    })

    it('matches the polkadot Keyring for the same mnemonic (address and signatures)', () => {
      const signer = signerFromMnemonic(MNEMONIC, type)
      const pair = new Keyring({ type, ss58Format: 42 }).addFromMnemonic(MNEMONIC)
      expect(signer.address).toBe(pair.address)
      expect(pair.verify(MESSAGE, signer.sign(MESSAGE), pair.publicKey)).toBe(true)
      expect(verifySigned(MESSAGE, u8aToHex(pair.sign(MESSAGE)), signer.address)).toBe(true)
    })

    it('keystore: encrypted round trip through JSON', () => {
      const keystore = encryptKeystore(SEED, type, 'correct horse battery staple')
      expect(keystore).toMatchObject({ format: 'cairn-keystore/1', type, address: signerFromSeed(SEED, type).address, encrypted: true })
      expect(keystore.warning).toBeUndefined()
      expect(keystore.encoding.type).toContain('scrypt')
      expect(keystore.encoded).not.toContain(toHex(SEED).slice(2))
      const reread = JSON.parse(JSON.stringify(keystore)) as Keystore
      const signer = decryptKeystore(reread, 'correct horse battery staple')
      expect(signer.address).toBe(keystore.address)
      expect(signer.type).toBe(type)
      expect(verifySigned(MESSAGE, toHex(signer.sign(MESSAGE)), keystore.address)).toBe(true)
    })
  })

  describe('keystore errors', () => {
    let encrypted: Keystore

    beforeAll(() => { encrypted = encryptKeystore(SEED, 'sr25519', 'right passphrase') })

    it('a wrong passphrase is KEY_BAD_PASSPHRASE', () => {
      const err = expectCode(() => decryptKeystore(encrypted, 'wrong passphrase'), 'KEY_BAD_PASSPHRASE')
      expect(err.status).toBe(401)
      expect(err.message).toContain(encrypted.address)
    })

    it('a missing passphrase for an encrypted keystore is KEY_BAD_PASSPHRASE', () => {
      expectCode(() => decryptKeystore(encrypted, undefined), 'KEY_BAD_PASSPHRASE')
      const err = expectCode(() => decryptKeystore(encrypted, ''), 'KEY_BAD_PASSPHRASE')
      expect(err.message).toContain('CAIRN_PASSPHRASE')
    })

    it('an unencrypted keystore says so, carries a warning and opens without a passphrase', () => {
      for (const passphrase of [undefined, '']) {
        const keystore = encryptKeystore(SEED, 'ed25519', passphrase)
        expect(keystore.encrypted).toBe(false)
        expect(keystore.warning).toMatch(/UNENCRYPTED/)
        expect(keystore.encoding.type).toEqual(['none'])
        expect(decryptKeystore(keystore, undefined).address).toBe(signerFromSeed(SEED, 'ed25519').address)
        // A passphrase given for an unencrypted file is ignored rather than misapplied.
        expect(decryptKeystore(keystore, 'anything').address).toBe(keystore.address)
      }
    })

    it('a keystore whose address was edited is KEY_INVALID', () => {
      const other = signerFromSeed(new Uint8Array(32).fill(42), 'sr25519').address
      const err = expectCode(() => decryptKeystore({ ...encrypted, address: other }, 'right passphrase'), 'KEY_INVALID')
      expect(err.message).toContain(other)
      const plain = encryptKeystore(SEED, 'sr25519', undefined)
      expectCode(() => decryptKeystore({ ...plain, address: other }, undefined), 'KEY_INVALID')
    })

    it('a keystore whose type was edited is KEY_INVALID (the key would have another address)', () => {
      const plain = encryptKeystore(SEED, 'sr25519', undefined)
      expectCode(() => decryptKeystore({ ...plain, type: 'ed25519' }, undefined), 'KEY_INVALID')
    })

    it('something that is not a keystore is KEY_INVALID', () => {
      expectCode(() => decryptKeystore({ ...encrypted, format: 'other' as 'cairn-keystore/1' }, 'right passphrase'), 'KEY_INVALID')
      expectCode(() => decryptKeystore(null as unknown as Keystore, undefined), 'KEY_INVALID')
      expectCode(() => decryptKeystore({} as Keystore, undefined), 'KEY_INVALID')
    })

    it('a tampered ciphertext does not decrypt', () => {
      const encoded = encrypted.encoded.slice(0, -4) + (encrypted.encoded.endsWith('AAAA') ? 'BBBB' : 'AAAA')
      expectCode(() => decryptKeystore({ ...encrypted, encoded }, 'right passphrase'), 'KEY_BAD_PASSPHRASE')
    })
  })

  describe('mnemonics', () => {
    it('newMnemonic gives 24 valid, different words', () => {
      const a = newMnemonic()
      expect(a.split(' ')).toHaveLength(24)
      expect(mnemonicValidate(a)).toBe(true)
      expect(newMnemonic()).not.toBe(a)
    })

    it('signerFromMnemonic refuses an invalid mnemonic with KEY_INVALID', () => {
      expectCode(() => signerFromMnemonic('not a mnemonic at all'), 'KEY_INVALID')
      expectCode(() => signerFromMnemonic(MNEMONIC.replace('seed', 'seeds')), 'KEY_INVALID')
    })

    it('sr25519 and ed25519 keys of one mnemonic differ', () => {
      expect(signerFromMnemonic(MNEMONIC, 'sr25519').address).not.toBe(signerFromMnemonic(MNEMONIC, 'ed25519').address)
      expect(signerFromMnemonic(MNEMONIC).type).toBe('sr25519')
    })
  })
})
