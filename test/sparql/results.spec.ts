import ox from 'oxigraph'
import { describe, expect, it } from 'vitest'
import { capSolutions, jsonRows } from '../../src/sparql/results.js'

const JSON_RESULTS = 'application/sparql-results+json'
type Doc = { head: { vars: string[] }, results: { bindings: Array<Record<string, { value: string }>> } }

/** Literals that try to look like JSON structure, row separators and escapes. */
const TRICKY = ['plain', '}},{"s":{', 'a\\"b', 'back\\\\', 'ends with \\', '"quoted"', '[]{}', 'ünïcödé ✓ 𝄞', 'line\nbreak', '{"bindings":[']

function store (): ox.Store {
  const s = new ox.Store()
  TRICKY.forEach((v, i) => { s.add(ox.quad(ox.namedNode(`https://ex.org/s${i}`), ox.namedNode('https://ex.org/p'), ox.literal(v))) })
  return s
}

describe('SPARQL JSON result caps (scanner, no JSON.parse)', () => {
  const body = store().query('SELECT ?s ?o ?none WHERE { ?s <https://ex.org/p> ?o OPTIONAL { ?s <https://ex.org/q> ?none } } ORDER BY ?s', { results_format: JSON_RESULTS }) as string

  it('finds every row of oxigraph output, whatever the literals hold', () => {
    const rows = jsonRows(body)
    expect(rows?.starts).toHaveLength(TRICKY.length)
    expect(rows?.ends).toHaveLength(TRICKY.length)
    for (let i = 0; i < TRICKY.length; i++) expect(JSON.parse(body.slice(rows!.starts[i], rows!.ends[i]))).toHaveProperty('s')
  })

  it('leaves a result under its caps untouched', () => {
    expect(capSolutions(body, 'json', 100, 1 << 20)).toEqual({ body, rows: TRICKY.length, truncated: false })
  })

  it('cuts at a row boundary by rows and by bytes, keeping valid JSON', () => {
    const byRows = capSolutions(body, 'json', 3, 1 << 20)
    expect(byRows.truncated).toBe(true)
    expect(byRows.rows).toBe(3)
    const doc = JSON.parse(byRows.body) as Doc
    expect(doc.results.bindings).toHaveLength(3)
    expect(doc.head.vars).toEqual(['s', 'o', 'none'])
    const full = JSON.parse(body) as Doc
    expect(doc.results.bindings).toEqual(full.results.bindings.slice(0, 3))

    const byBytes = capSolutions(body, 'json', 100, 400)
    expect(byBytes.truncated).toBe(true)
    expect(Buffer.byteLength(byBytes.body)).toBeLessThanOrEqual(400)
    expect((JSON.parse(byBytes.body) as Doc).results.bindings).toHaveLength(byBytes.rows)

    const none = capSolutions(body, 'json', 0, 1 << 20)
    expect((JSON.parse(none.body) as Doc).results.bindings).toEqual([])
  })

  it('counts empty solutions and reads booleans as no rows', () => {
    const empty = new ox.Store().query('SELECT * WHERE { }', { results_format: JSON_RESULTS }) as string
    expect(capSolutions(empty, 'json', 10, 1000)).toMatchObject({ rows: 1, truncated: false })
    const ask = new ox.Store().query('ASK { }', { results_format: JSON_RESULTS }) as string
    expect(capSolutions(ask, 'json', 10, 1000)).toEqual({ body: ask, rows: 0, truncated: false })
  })
})
