import { describe, expect, it } from 'vitest'
import { parseRdf } from '../../src/rdf/parse.js'
import { splitGraphs } from '../../src/rdf/split-graphs.js'

const TRIG = `
@prefix ex: <http://example.org/> .
ex:g1 { ex:a ex:p "in g1" . ex:a ex:q ex:b }
ex:a ex:p "default" .
_:gb { ex:c ex:p "in blank graph" }
ex:g2 { ex:c ex:p "in g2" }
ex:g1 { ex:d ex:p "g1 again" }
`

describe('splitGraphs', () => {
  it('groups TriG by graph: default first, then named graphs in first-seen order', async () => {
    const groups = splitGraphs(await parseRdf(TRIG, { format: 'trig' }))
    expect(groups.map(g => g.name?.replace(/^_:.*/, '_:blank') ?? null)).toEqual([null, 'http://example.org/g1', '_:blank', 'http://example.org/g2'])
    expect(groups.map(g => g.quads.length)).toEqual([1, 3, 1, 1])
    expect(groups[1].quads.map(q => q.object.value)).toEqual(['in g1', 'http://example.org/b', 'g1 again'])
  })

  it('moves every quad to the default graph', async () => {
    for (const group of splitGraphs(await parseRdf(TRIG, { format: 'trig' }))) {
      expect(group.quads.every(q => q.graph.termType === 'DefaultGraph')).toBe(true)
    }
  })

  it('names blank-node graphs `_:label`, which no IRI can collide with', async () => {
    const groups = splitGraphs(await parseRdf('_:g { <http://a/> <http://b/> <http://c/> }', { format: 'trig' }))
    expect(groups).toHaveLength(1)
    expect(groups[0].name).toMatch(/^_:/)
  })

  it('returns only named groups when there is no default graph, and nothing for nothing', async () => {
    const groups = splitGraphs(await parseRdf('<http://g/> { <http://a/> <http://b/> <http://c/> }', { format: 'trig' }))
    expect(groups.map(g => g.name)).toEqual(['http://g/'])
    expect(splitGraphs([])).toEqual([])
  })
})
