import { describe, expect, it } from 'vitest'
import type { Citation } from '../../src/proof/index.js'
import { citationView } from '../../src/graphql/resolvers.js'

const CITATION: Citation = {
  ual: 'did:cairn:local/5FRmdvipfYnTRqfAgAimk2uQPJqcjNJUPWovWFc5pD4yiGpG/0123456789abcdef0123456789abcdef01234567',
  version: 1,
  triple: '<https://ex.org/a> <https://ex.org/p> "x" .',
  canonical: '<https://ex.org/a> <https://ex.org/p> "x" .',
  leafIndex: 0,
  leafHash: '0x' + 'aa'.repeat(32),
  proof: ['0x' + 'bb'.repeat(32)],
  root: '0x' + 'cc'.repeat(32),
  previousRoot: null,
  timestamp: '2025-01-01T00:00:00.000Z',
  publisher: '5FRmdvipfYnTRqfAgAimk2uQPJqcjNJUPWovWFc5pD4yiGpG',
  signature: '0x' + 'dd'.repeat(64),
  anchor: { type: 'cairn-ledger/1' } as unknown as Citation['anchor']
}

describe('citationView', () => {
  it('with the proof: the members as they are, and json = JSON.stringify of the builder object (what res.json sends)', () => {
    const view = citationView(CITATION, true)
    expect(view.json).toBe(JSON.stringify(CITATION))
    expect(view.proof).toEqual(CITATION.proof)
  })

  it('without it: proof null, and json is the same object minus the proof member, key order kept', () => {
    const view = citationView(CITATION, false)
    expect(view.proof).toBeNull()
    expect(Object.keys(JSON.parse(view.json) as object)).toEqual(Object.keys(CITATION).filter((k) => k !== 'proof'))
    expect(view.json).toBe(JSON.stringify(CITATION).replace(`"proof":${JSON.stringify(CITATION.proof)},`, ''))
  })
})
