import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CairnError } from '../../src/errors.js'
import type { Network } from '../../src/network/index.js'
import { verifyCitation } from '../../src/proof/index.js'
import type { Citation } from '../../src/proof/index.js'
import { WEIGHTS, createRetriever } from '../../src/rag/index.js'
import type { ContributionLedger, RetrieveContext, RetrieveResponse, Retriever } from '../../src/rag/index.js'
import { KEYWORD_NOTE } from '../../src/rag/retriever.js'
import { EX, PEOPLE_TRIG, S, startRagFixture } from '../helpers/rag.js'
import type { RagFixture } from '../helpers/rag.js'

const LONG = 'lorem '.repeat(200).trim()
const TRIG = `${PEOPLE_TRIG}
<${EX}g-essay> { <${EX}essay> <${S}name> "Essay on rockets" ; <${S}text> "${LONG}" . }`

/** A ledger that keeps what it is told (the SQLite one has its own tests). */
function recordingLedger (): ContributionLedger & { calls: Array<{ citations: Array<Pick<Citation, 'ual' | 'version' | 'publisher'>>, context: RetrieveContext }> } {
  const calls: Array<{ citations: Array<Pick<Citation, 'ual' | 'version' | 'publisher'>>, context: RetrieveContext }> = []
  return {
    calls,
    record: (citations, context) => { calls.push({ citations, context }) },
    summary: () => { throw new Error('not used') }
  }
}

const CTX: RetrieveContext = { interface: 'mcp', requestHash: `0x${'ab'.repeat(32)}` }
const pred = (a: RetrieveResponse, i: number): string => a.facts[i].triple.predicate.value

describe('KeywordRetriever (real store and asset service, recording ledger)', () => {
  let f: RagFixture
  let ledger: ReturnType<typeof recordingLedger>
  let retriever: Retriever

  beforeAll(async () => {
    f = await startRagFixture(TRIG)
    ledger = recordingLedger()
    retriever = createRetriever({}, { store: f.store, assets: f.assets, contributions: ledger })
  })
  afterAll(async () => { await f?.stop() })

  it('answers with the documented score: Σ WEIGHTS × parts, each part in [0, 1], best first', async () => {
    const a = await retriever.retrieve({ question: 'Who founded ACME Rockets?' }, CTX)
    expect(a.linking).toBe('keyword')
    expect(a.notes[0]).toBe(KEYWORD_NOTE)
    expect(a.entities.map((e) => e.iri)).toEqual([`${EX}acme`])
    expect([pred(a, 0), pred(a, 1)].sort()).toEqual([`${S}founder`, `${S}foundingDate`])
    for (const [i, fact] of a.facts.entries()) {
      expect(Object.keys(fact.scoreParts).sort()).toEqual(Object.keys(WEIGHTS).sort())
      for (const v of Object.values(fact.scoreParts)) expect(v).toBeGreaterThanOrEqual(0)
      for (const v of Object.values(fact.scoreParts)) expect(v).toBeLessThanOrEqual(1)
      const sum = (Object.keys(WEIGHTS) as Array<keyof typeof WEIGHTS>).reduce((s, k) => s + WEIGHTS[k] * fact.scoreParts[k], 0)
      expect(fact.score).toBeCloseTo(sum, 3)
      if (i > 0) expect(fact.score).toBeLessThanOrEqual(a.facts[i - 1].score)
      expect(verifyCitation(fact.citation as Citation).ok).toBe(true)
    }
    expect(Object.values(WEIGHTS).reduce((s, w) => s + w, 0)).toBeCloseTo(1)
  })

  it('prefers the name of a linked entity over its other facts of equal text match (label part)', async () => {
    const a = await retriever.retrieve({ question: 'Grace Hopper' }, CTX)
    expect(pred(a, 0)).toBe(`${S}name`)
    expect(a.facts[0].scoreParts.label).toBe(1)
    expect(a.facts.filter((x) => x.scoreParts.label === 1)).toHaveLength(1)
  })

  it('records exactly the citations it serves, with the request hash and interface', async () => {
    const before = ledger.calls.length
    const a = await retriever.retrieve({ question: 'Ada Lovelace', budget: { maxFacts: 3 } }, CTX)
    expect(ledger.calls).toHaveLength(before + 1)
    const call = ledger.calls[before]
    expect(call.context).toEqual(CTX)
    expect(call.citations.map((c) => [c.ual, c.version, c.publisher])).toEqual(a.facts.map((x) => [x.citation.ual, x.citation.version, x.citation.publisher]))
  })

  it('de-duplicates a triple stated by two assets and says by how many', async () => {
    const a = await retriever.retrieve({ entities: [`${EX}acme`], budget: { maxFacts: 200 } }, CTX)
    const founder = a.facts.filter((x) => x.triple.predicate.value === `${S}founder` && x.triple.subject.value === `${EX}acme`)
    expect(founder).toHaveLength(1)
    expect(founder[0].statedBy).toBe(2)
    expect(a.facts.filter((x) => x.statedBy !== 1 && x !== founder[0])).toEqual([])
  })

  it('scores proximity 1 / 0.8 at hop 1 (subject / object side) and 0.5 / 0.4 at hop 2', async () => {
    const a = await retriever.retrieve({ entities: [`${EX}acme`], hops: 2, budget: { maxFacts: 200 } }, CTX)
    const find = (s: string, p: string): RetrieveResponse['facts'][number] | undefined => a.facts.find((x) => x.triple.subject.value === `${EX}${s}` && x.triple.predicate.value === `${S}${p}`)
    expect(find('acme', 'location')?.scoreParts.proximity).toBe(1)
    expect(find('ada', 'worksFor')?.scoreParts.proximity).toBe(0.8)
    expect(find('lisbon', 'containedInPlace')?.scoreParts.proximity).toBe(0.5)
    expect(find('ada', 'knows')?.scoreParts.proximity).toBe(0.5)
    // The linked entity's own class is not a neighbour: nothing about schema:Organization's other instances.
    expect(find('widgets', 'name')).toBeUndefined()
  })

  it('uses init defaults for the budget, and stops at the first line that would pass maxChars', async () => {
    const three = createRetriever({ defaultMaxFacts: 3 }, { store: f.store, assets: f.assets, contributions: recordingLedger() })
    const a = await three.retrieve({ question: 'ACME Rockets' }, CTX)
    expect(a.facts).toHaveLength(3)
    expect(a.budget).toEqual({ maxFacts: 3, maxChars: 4000 })
    const tiny = await retriever.retrieve({ question: 'ACME Rockets', budget: { maxChars: 80 } }, CTX)
    expect(tiny.facts).toEqual([])
    expect(tiny.context).toBe('')
    expect(tiny.truncated).toBe(true)
  })

  it('cuts long literals in the context line, never in the citation', async () => {
    const a = await retriever.retrieve({ entities: [`${EX}essay`] }, CTX)
    const text = a.facts.find((x) => x.triple.predicate.value === `${S}text`)
    expect(text?.triple.object.value).toBe(LONG)
    expect(text?.citation.triple).toContain(LONG)
    const line = a.context.split('\n')[(text?.marker ?? 0) - 1]
    expect(line).toMatch(/"lorem( lorem)+ lore?m?…" \(source: /)
    expect(line.length).toBeLessThan(LONG.length)
  })

  it('says so when nothing matches, and ignores question words no literal contains', async () => {
    const none = await retriever.retrieve({ question: 'zyzzyva quokka' }, CTX)
    expect(none.facts).toEqual([])
    expect(none.entities).toEqual([])
    expect(none.notes.join(' ')).toMatch(/no entity matched/)
    // "zyzzyva" is in no literal: it does not stop "Lisbon" from being found.
    const some = await retriever.retrieve({ question: 'zyzzyva Lisbon' }, CTX)
    expect(some.entities[0].iri).toBe(`${EX}lisbon`)
    const unknown = await retriever.retrieve({ entities: ['https://example.org/nobody'] }, CTX)
    expect(unknown.facts).toEqual([])
    expect(unknown.entities).toEqual([{ iri: 'https://example.org/nobody', label: 'nobody', score: 1 }])
  })

  it('is deterministic', async () => {
    const q = { question: 'Where does Ada Lovelace work?', hops: 2 as const }
    const one = await retriever.retrieve(q, CTX)
    const two = await retriever.retrieve(q, CTX)
    expect(two).toEqual(one)
  })

  it('validates requests itself (GraphQL and MCP do not pass the REST parser)', async () => {
    for (const bad of [{ question: 'q', paranet: 'p' }, {}, { question: 'q', hops: 5 }]) {
      const err = await retriever.retrieve(bad as never, CTX).then(() => undefined, (e: unknown) => e)
      expect(err).toBeInstanceOf(CairnError)
      expect((err as CairnError).code).toBe('CAIRN_API_BAD_REQUEST')
    }
  })

  it('crossCheck: asks the network when there is one, else says it could not', async () => {
    const standalone = await retriever.retrieve({ question: 'Grace Hopper', crossCheck: 1 }, CTX)
    expect(standalone.crossCheck).toEqual({ requested: 1, peers: [] })
    const network = {
      peerId: 'self',
      holdersFor: () => ['self', 'peer-1'],
      peers: () => [],
      fetchBundles: async (_peer: string, uals: string[]) => ({ bundles: uals.map((u) => f.assets.bundle(u)), missing: [] })
    } as unknown as Network
    const networked = createRetriever({}, { store: f.store, assets: f.assets, contributions: recordingLedger(), network })
    const a = await networked.retrieve({ question: 'Grace Hopper', crossCheck: 2 }, CTX)
    expect(a.crossCheck).toEqual({ requested: 2, peers: [{ peer: 'peer-1', agreed: a.facts.length, disagreed: 0, missing: 0 }] })
    expect(a.notes.join(' ')).toMatch(/crossCheck: 1 of 2 peers/)
  })
})
