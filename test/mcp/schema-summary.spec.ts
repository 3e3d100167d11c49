import { describe, expect, it } from 'vitest'
import { CairnError } from '../../src/errors.js'
import { createSchemaCache, summarizeSchema } from '../../src/mcp/schema-summary.js'
import type { SchemaSummary } from '../../src/mcp/schema-summary.js'
import type { QueryOptions, QueryResult, SparqlEngine } from '../../src/sparql/index.js'

const S = 'https://schema.org/'
const lit = (v: string | number, datatype?: string): Record<string, unknown> => ({ type: 'literal', value: String(v), ...(datatype === undefined ? {} : { datatype }) })
const uri = (v: string): Record<string, unknown> => ({ type: 'uri', value: v })
const INT = 'http://www.w3.org/2001/XMLSchema#integer'

/** A stub engine answering each aggregate query by what it selects. */
function stubEngine (answer: (query: string) => Array<Record<string, unknown>> | Error): SparqlEngine & { seen: Array<{ query: string, options: QueryOptions }> } {
  const seen: Array<{ query: string, options: QueryOptions }> = []
  return {
    seen,
    async query (query: string, options: QueryOptions): Promise<QueryResult> {
      seen.push({ query, options })
      const rows = answer(query)
      if (rows instanceof Error) throw rows
      return { kind: 'solutions', body: JSON.stringify({ head: { vars: [] }, results: { bindings: rows } }), rows: rows.length, truncated: false }
    },
    notifyCommitted () {},
    async whenReady () {},
    status: () => ({ ready: true, seq: 0, replicas: [] }),
    async start () {},
    async stop () {},
    isStarted: () => true
  }
}

describe('get_schema summary', () => {
  it('assembles classes, predicates, object kinds and subject/object classes from the aggregate queries', async () => {
    const engine = stubEngine((q) => {
      if (q.includes('?s a ?class } GROUP BY ?class')) return [{ class: uri(`${S}Person`), n: lit(2, INT), e1: uri('https://ex.org/a'), e2: lit('https://ex.org/a'), e3: lit('https://ex.org/b') }]
      if (q.includes('COUNT(DISTINCT ?s) AS ?subjects')) {
        return [{ p: uri(`${S}name`), n: lit(2, INT), subjects: lit(2, INT), e1: lit('A'.repeat(200)), e2: { type: 'literal', value: 'Bob', 'xml:lang': 'en' }, e3: lit('A'.repeat(200)) }]
      }
      if (q.includes('?kind')) return [{ p: uri(`${S}name`), kind: lit('http://www.w3.org/2001/XMLSchema#string'), n: lit(1, INT) }, { p: uri(`${S}name`), kind: lit('http://www.w3.org/1999/02/22-rdf-syntax-ns#langString'), n: lit(1, INT) }]
      if (q.includes('?s a ?class }\nGROUP BY ?p ?class')) return [{ p: uri(`${S}name`), class: uri(`${S}Person`), n: lit(2, INT) }]
      return []
    })
    const summary = await summarizeSchema(engine, 7, 1234)
    expect(summary.seq).toBe(7)
    expect(summary.classes).toEqual([{ class: `${S}Person`, instances: 2, examples: ['https://ex.org/a', 'https://ex.org/b'] }])
    expect(summary.predicates).toHaveLength(1)
    const [name] = summary.predicates
    expect(name).toMatchObject({ predicate: `${S}name`, triples: 2, subjects: 2, subjectClasses: [{ class: `${S}Person`, count: 2 }], objectClasses: [] })
    expect(name.objects).toEqual([
      { kind: 'literal', datatype: 'http://www.w3.org/2001/XMLSchema#string', count: 1 },
      { kind: 'literal', datatype: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString', count: 1 }
    ])
    // Long example literals are shortened; duplicates dropped.
    expect(name.examples).toEqual([`"${'A'.repeat(80)}…"`, '"Bob"@en'])
    expect(summary.prefixes).toMatchObject({ schema: S, rdf: expect.any(String), cairn: expect.any(String) })
    expect(summary.prefixes.foaf).toBeUndefined()
    expect(summary.truncated).toBe(false)
    // Every query is bounded (LIMIT, row cap) and runs with the schema timeout.
    for (const { query, options } of engine.seen) {
      expect(query).toMatch(/LIMIT \d+/)
      expect(options).toMatchObject({ format: 'json', timeoutMs: 1234, maxRows: expect.any(Number) })
    }
  })

  it('a query that times out leaves a note and truncated: true; other errors propagate', async () => {
    const slow = stubEngine((q) => q.includes('?kind') ? new CairnError('SPARQL_TIMEOUT', 'timed out') : [])
    const summary = await summarizeSchema(slow, 1, 10)
    expect(summary.truncated).toBe(true)
    expect(summary.notes.join(' ')).toContain('object kinds')
    const broken = stubEngine(() => new CairnError('SPARQL_NOT_READY', 'not ready'))
    await expect(summarizeSchema(broken, 1, 10)).rejects.toMatchObject({ code: 'CAIRN_SPARQL_NOT_READY' })
  })

  it('says so when the graph is empty', async () => {
    const summary = await summarizeSchema(stubEngine(() => []), 0, 10)
    expect(summary.notes).toEqual(['the graph is empty: nothing is published on this node yet'])
  })

  it('caches per commit sequence, shares one computation between concurrent callers, and does not cache failures', async () => {
    let runs = 0
    let fail = false
    const cache = createSchemaCache(async (seq) => {
      runs++
      await new Promise((resolve) => setTimeout(resolve, 5))
      if (fail) throw new Error('boom')
      return { seq } as unknown as SchemaSummary
    })
    const [a, b] = await Promise.all([cache(1), cache(1)])
    expect(a).toBe(b)
    expect(runs).toBe(1)
    expect(await cache(1)).toBe(a)
    expect(runs).toBe(1)
    expect((await cache(2)).seq).toBe(2)
    expect(runs).toBe(2)
    fail = true
    await expect(cache(3)).rejects.toThrow('boom')
    fail = false
    expect((await cache(3)).seq).toBe(3)
    expect(runs).toBe(4)
  })
})
