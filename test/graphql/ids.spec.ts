import { describe, expect, it } from 'vitest'
import { CairnError } from '../../src/errors.js'
import {
  assetCursor, factCursor, factKey, fromGlobalId, parseAssetCursor, parseFactCursor, parseFactKey, parseSearchCursor, searchCursor, toGlobalId
} from '../../src/graphql/ids.js'

const UAL = 'did:cairn:local/5FRmdvipfYnTRqfAgAimk2uQPJqcjNJUPWovWFc5pD4yiGpG/0123456789abcdef0123456789abcdef01234567'

function expectBadCursor (fn: () => unknown): void {
  let thrown: unknown
  try { fn() } catch (err) { thrown = err }
  expect(thrown).toBeInstanceOf(CairnError)
  expect((thrown as CairnError).code).toBe('CAIRN_API_BAD_REQUEST')
  expect((thrown as CairnError).details).toEqual({ field: 'after' })
}

describe('global ids', () => {
  it('are base64url of Type:key and round-trip, keys with any characters included', () => {
    for (const [type, key] of [['Entity', 'https://ex.org/ünï cödé?q=1#f:x'], ['AssetVersion', `${UAL}/v2`], ['Fact', factKey(`${UAL}/v2`, 17)]] as const) {
      const id = toGlobalId(type, key)
      expect(id).toMatch(/^[A-Za-z0-9_-]+$/)
      expect(Buffer.from(id, 'base64url').toString('utf8')).toBe(`${type}:${key}`)
      expect(fromGlobalId(id)).toEqual({ type, key })
    }
  })

  it('refuse what is not one of ours', () => {
    for (const id of ['', 'not an id', '!!!', Buffer.from('Person:1').toString('base64url'), Buffer.from(':x').toString('base64url')]) {
      expect(fromGlobalId(id), id).toBeUndefined()
    }
  })

  it('fact keys are the version IRI and the leaf index', () => {
    expect(parseFactKey(factKey(`${UAL}/v3`, 0))).toEqual({ versionIri: `${UAL}/v3`, leafIndex: 0 })
    for (const key of [`${UAL}/v3`, `${UAL}/v3#`, `${UAL}/v3#-1`, `${UAL}/v3#01`, '#5', `${UAL}#1.5`]) expect(parseFactKey(key), key).toBeUndefined()
  })
})

describe('cursors', () => {
  it('round-trip the keyset position of their list', () => {
    const fact = { versionId: 7, leafIndex: 0, s: 1, p: 2, o: 3 }
    expect(parseFactCursor(factCursor(fact))).toEqual(fact)
    for (const score of [-12.5, -1.1578947368421053e-6, 0, -Number.MAX_VALUE]) {
      expect(parseSearchCursor(searchCursor({ score, s: 9 }))).toEqual({ score, s: 9 })
    }
    expect(parseAssetCursor(assetCursor(UAL))).toBe(UAL)
  })

  it('refuse a cursor of another list, a forged or a truncated one, with API_BAD_REQUEST', () => {
    const fact = factCursor({ versionId: 7, leafIndex: 0, s: 1, p: 2, o: 3 })
    expectBadCursor(() => parseSearchCursor(fact))
    expectBadCursor(() => parseAssetCursor(fact))
    expectBadCursor(() => parseFactCursor(assetCursor(UAL)))
    expectBadCursor(() => parseFactCursor(fact.slice(0, -3)))
    expectBadCursor(() => parseFactCursor('bogus cursor'))
    expectBadCursor(() => parseFactCursor(Buffer.from(JSON.stringify(['f', 7, 0, 1, 2, 'x'])).toString('base64url')))
    expectBadCursor(() => parseFactCursor(Buffer.from(JSON.stringify(['f', 7, -2, 1, 2, 3])).toString('base64url')))
    expectBadCursor(() => parseSearchCursor(Buffer.from(JSON.stringify(['e', 'NaN', 1])).toString('base64url')))
  })
})
