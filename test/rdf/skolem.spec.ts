import { describe, expect, it } from 'vitest'
import { canonicalizeGraph } from '../../src/rdf/canonicalize.js'
import { parseLine, tripleToLine } from '../../src/rdf/ntriples.js'
import { parseRdf } from '../../src/rdf/parse.js'
import { GENID_PATH, deskolemizeLine, skolemIri, skolemLabel, skolemizeLine, versionIri } from '../../src/rdf/skolem.js'

const V = versionIri('did:cairn:test:0xabc/1f2e', 3)

describe('skolem IRIs', () => {
  it('name a version and its blank nodes', () => {
    expect(V).toBe('did:cairn:test:0xabc/1f2e/v3')
    expect(skolemIri(V, 'c14n2')).toBe(`${V}${GENID_PATH}c14n2`)
    expect(skolemLabel(V, skolemIri(V, 'c14n2'))).toBe('c14n2')
    expect(skolemLabel(V, 'https://ex.org/x')).toBeUndefined()
    expect(skolemLabel(versionIri('did:cairn:test:0xabc/1f2e', 4), skolemIri(V, 'c14n2'))).toBeUndefined()
  })

  it('round-trip canonical lines with blank subjects, blank objects and `_:x` inside literals', async () => {
    const quads = await parseRdf(`
      @prefix ex: <http://example.org/> .
      _:a ex:knows _:b .
      _:b ex:note "see _:x and _:a in text" .
      ex:c ex:rel _:a .
      _:a ex:says " _:y " .
      ex:c ex:plain "no blank" .
    `, { format: 'turtle' })
    const lines = await canonicalizeGraph(quads)
    expect(lines.filter(l => l.startsWith('_:c14n'))).toHaveLength(3)
    for (const line of lines) {
      const skolemized = skolemizeLine(line, V)
      expect(skolemized).not.toMatch(/^_:|\s_:c14n\d+\s/)
      expect(deskolemizeLine(skolemized, V)).toBe(line)
      // A skolemized line is still a valid N-Triples line whose blank nodes became IRIs.
      const q = parseLine(skolemized)
      for (const term of [q.subject, q.object]) expect(term.termType).not.toBe('BlankNode')
      expect(tripleToLine(q.subject, q.predicate, q.object)).toBe(skolemized)
    }
    const noted = lines.find(l => l.includes('see _:x'))
    expect(noted).toBeDefined()
    expect(skolemizeLine(noted ?? '', V)).toMatch(/"see _:x and _:a in text" \.$/)
    expect(skolemizeLine(lines.find(l => l.includes('" _:y "')) ?? '', V)).toMatch(new RegExp(`^<${V}${GENID_PATH}c14n\\d+> `))
  })
})
