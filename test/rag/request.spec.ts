import { describe, expect, it } from 'vitest'
import { CairnError } from '../../src/errors.js'
import { parseRetrieveRequest } from '../../src/rag/index.js'

function issues (input: unknown): Array<{ path: string, message: string }> {
  try {
    parseRetrieveRequest(input)
  } catch (err) {
    expect(err).toBeInstanceOf(CairnError)
    expect((err as CairnError).code).toBe('CAIRN_API_BAD_REQUEST')
    return (err as CairnError).details?.issues as Array<{ path: string, message: string }>
  }
  throw new Error(`accepted ${JSON.stringify(input)}`)
}

describe('parseRetrieveRequest', () => {
  it('accepts a question, entities, or both, with every option', () => {
    expect(parseRetrieveRequest({ question: 'Who founded ACME?' })).toEqual({ question: 'Who founded ACME?' })
    const full = { question: 'q', entities: ['https://example.org/a', 'did:cairn:local/x'], budget: { maxFacts: 5, maxChars: 500 }, hops: 2, withProofs: false, crossCheck: 3, paranet: '' }
    expect(parseRetrieveRequest(full)).toEqual(full)
    expect(parseRetrieveRequest({ entities: ['urn:x:1'] })).toEqual({ entities: ['urn:x:1'] })
  })

  it('lists every problem with its path', () => {
    const found = issues({ question: 3, hops: 0, budget: { maxFacts: 201, maxChars: 5, extra: 1 }, entities: ['relative/iri'], crossCheck: -1, withProofs: 'yes', other: true })
    const paths = found.map((i) => i.path)
    for (const p of ['question', 'hops', 'budget.maxFacts', 'budget.maxChars', 'entities.0', 'crossCheck', 'withProofs']) expect(paths).toContain(p)
    expect(found.some((i) => i.path === '' || i.path === 'budget')).toBe(true)
    expect(issues('not an object').length).toBeGreaterThan(0)
    expect(issues({ question: 'x'.repeat(2001) })[0].path).toBe('question')
    expect(issues({ entities: Array.from({ length: 33 }, (_, i) => `urn:x:${i}`) })[0].path).toBe('entities')
  })

  it('needs a question or entities', () => {
    expect(issues({})[0].path).toBe('question')
    expect(issues({ question: ' \n ', entities: [] })[0].path).toBe('question')
  })

  it('refuses paranets (not supported yet)', () => {
    expect(issues({ question: 'q', paranet: 'did:cairn:paranet/x' })).toEqual([{ path: 'paranet', message: 'paranets are not supported yet' }])
  })
})
