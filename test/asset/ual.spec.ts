import { beforeAll, describe, expect, it } from 'vitest'
import { keysReady, signerFromSeed } from '../../src/asset/keys.js'
import { UAL_PREFIX, formatUal, isAddress, isNetworkName, parseUal, ualFor } from '../../src/asset/ual.js'
import { CairnError } from '../../src/errors.js'
import { deriveAssetId, fromHex, proofReady } from '../../src/proof/index.js'

const ASSET_ID = '0123456789abcdef0123456789abcdef01234567'
const ROOT = `0x${'ab'.repeat(32)}`

describe('UAL', () => {
  let sr: string
  let ed: string

  beforeAll(async () => {
    await Promise.all([keysReady(), proofReady()])
    sr = signerFromSeed(new Uint8Array(32).fill(1), 'sr25519').address
    ed = signerFromSeed(new Uint8Array(32).fill(2), 'ed25519').address
  })

  it('formats the base form and parses it back', () => {
    for (const publisher of [sr, ed]) {
      for (const network of ['local', 'testnet', 'my-net-1', '0', 'a'.repeat(32)]) {
        const ual = formatUal({ network, publisher, assetId: ASSET_ID })
        expect(ual).toBe(`did:cairn:${network}/${publisher}/${ASSET_ID}`)
        expect(ual.startsWith(UAL_PREFIX)).toBe(true)
        const parsed = parseUal(ual)
        expect(parsed).toEqual({ network, publisher, assetId: ASSET_ID, ual })
        expect('version' in parsed).toBe(false)
        expect(formatUal(parsed)).toBe(ual)
      }
    }
  })

  it('formats and parses the version form, whose base UAL is the asset', () => {
    const base = formatUal({ network: 'local', publisher: sr, assetId: ASSET_ID })
    for (const version of [1, 2, 10, 999_999_999]) {
      const ual = formatUal({ network: 'local', publisher: sr, assetId: ASSET_ID, version })
      expect(ual).toBe(`${base}/v${version}`)
      expect(parseUal(ual)).toEqual({ network: 'local', publisher: sr, assetId: ASSET_ID, version, ual: base })
      expect(formatUal(parseUal(ual))).toBe(ual)
    }
  })

  describe('every malformed UAL is ASSET_BAD_UAL', () => {
    const cases = (): Array<[string, string]> => {
      const ok = `did:cairn:local/${sr}/${ASSET_ID}`
      return [
        ['empty', ''],
        ['no prefix', `local/${sr}/${ASSET_ID}`],
        ['another DID method', `did:other:local/${sr}/${ASSET_ID}`],
        ['prefix in upper case', `DID:CAIRN:local/${sr}/${ASSET_ID}`],
        ['percent-encoded', encodeURIComponent(ok)],
        ['leading space', ` ${ok}`],
        ['trailing space', `${ok} `],
        ['trailing newline', `${ok}\n`],
        ['trailing slash', `${ok}/`],
        ['too few segments', `did:cairn:local/${sr}`],
        ['only the prefix', 'did:cairn:'],
        ['too many segments', `${ok}/v1/extra`],
        ['extra segment that is not a version', `${ok}/history`],
        ['empty network', `did:cairn:/${sr}/${ASSET_ID}`],
        ['empty publisher', `did:cairn:local//${ASSET_ID}`],
        ['empty asset id', `did:cairn:local/${sr}/`],
        ['network in upper case', `did:cairn:Local/${sr}/${ASSET_ID}`],
        ['network starting with a dash', `did:cairn:-local/${sr}/${ASSET_ID}`],
        ['network with an underscore', `did:cairn:my_net/${sr}/${ASSET_ID}`],
        ['network of 33 characters', `did:cairn:${'a'.repeat(33)}/${sr}/${ASSET_ID}`],
        ['publisher that is not SS58', `did:cairn:local/alice/${ASSET_ID}`],
        ['publisher with a broken checksum', `did:cairn:local/${sr.slice(0, -1)}${sr.endsWith('a') ? 'b' : 'a'}/${ASSET_ID}`],
        ['publisher as a hex public key', `did:cairn:local/0x${'11'.repeat(32)}/${ASSET_ID}`],
        ['asset id in upper case', `did:cairn:local/${sr}/${ASSET_ID.toUpperCase()}`],
        ['asset id with 0x', `did:cairn:local/${sr}/0x${ASSET_ID.slice(2)}`],
        ['asset id of 39 characters', `did:cairn:local/${sr}/${ASSET_ID.slice(1)}`],
        ['asset id of 41 characters', `did:cairn:local/${sr}/${ASSET_ID}0`],
        ['asset id with a non-hex letter', `did:cairn:local/${sr}/${ASSET_ID.slice(1)}g`],
        ['version 0', `${ok}/v0`],
        ['version with a leading zero', `${ok}/v01`],
        ['version without a number', `${ok}/v`],
        ['version in upper case', `${ok}/V1`],
        ['negative version', `${ok}/v-1`],
        ['fractional version', `${ok}/v1.5`],
        ['version of ten digits', `${ok}/v1234567890`],
        ['a query string', `${ok}?x=1`],
        ['a fragment', `${ok}#frag`]
      ]
    }

    it('for each case', () => {
      for (const [why, text] of cases()) {
        let err: unknown
        try {
          parseUal(text)
        } catch (e) {
          err = e
        }
        expect(err, why).toBeInstanceOf(CairnError)
        expect((err as CairnError).key, why).toBe('ASSET_BAD_UAL')
        expect((err as CairnError).status, why).toBe(400)
        expect((err as CairnError).message, why).toContain('expected did:cairn:<network>/<publisher-ss58>/<40-hex asset id>[/v<N>]')
        expect((err as CairnError).details, why).toEqual({ ual: text.slice(0, 200) })
      }
    })

    it('quotes at most 200 characters of a huge input', () => {
      const huge = 'did:cairn:' + 'x'.repeat(100_000)
      let err: CairnError | undefined
      try { parseUal(huge) } catch (e) { err = e as CairnError }
      expect(err?.key).toBe('ASSET_BAD_UAL')
      expect(err?.message.length).toBeLessThan(600)
    })
  })

  it('isAddress accepts SS58 addresses of 32-byte keys only', () => {
    expect(isAddress(sr)).toBe(true)
    expect(isAddress(ed)).toBe(true)
    expect(isAddress('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY')).toBe(true)
    expect(isAddress('')).toBe(false)
    expect(isAddress('not an address')).toBe(false)
    expect(isAddress(`0x${'11'.repeat(32)}`)).toBe(false)
    expect(isAddress(`0x02${'11'.repeat(32)}`)).toBe(false)
  })

  it('isNetworkName follows the UAL network rule', () => {
    expect(isNetworkName('local')).toBe(true)
    expect(isNetworkName('base-sepolia')).toBe(true)
    expect(isNetworkName('')).toBe(false)
    expect(isNetworkName('Mainnet')).toBe(false)
    expect(isNetworkName('a/b')).toBe(false)
  })

  describe('ualFor', () => {
    it('is deterministic: the asset id is derived from publisher and first root only', () => {
      const a = ualFor('local', sr, ROOT)
      expect(ualFor('local', sr, ROOT)).toBe(a)
      const parsed = parseUal(a)
      expect(parsed).toMatchObject({ network: 'local', publisher: sr })
      expect(parsed.assetId).toBe(deriveAssetId(sr, fromHex(ROOT)))
      expect(parsed.assetId).toMatch(/^[0-9a-f]{40}$/)
      // The network is part of the UAL, not of the asset id.
      expect(parseUal(ualFor('testnet', sr, ROOT)).assetId).toBe(parsed.assetId)
    })

    it('changes with the publisher or the root', () => {
      const a = ualFor('local', sr, ROOT)
      expect(ualFor('local', ed, ROOT)).not.toBe(a)
      expect(ualFor('local', sr, `0x${'ab'.repeat(31)}ac`)).not.toBe(a)
    })

    it('refuses a root that is not 32 bytes of 0x hex', () => {
      for (const root of ['ab'.repeat(32), `0x${'ab'.repeat(31)}`, `0x${'AB'.repeat(32)}`]) {
        expect(() => ualFor('local', sr, root), root).toThrow(CairnError)
      }
    })
  })
})
