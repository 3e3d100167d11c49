/**
 * A dataset → one group per graph. Cairn canonicalizes, hashes and stores each graph of a document on its own.
 */
import type { Quad } from '@rdfjs/types'
import { DataFactory } from 'n3'

const { quad, defaultGraph } = DataFactory

export interface GraphGroup {
  /** Source graph: its IRI, `_:label` for a blank-node graph name, null for the default graph. */
  name: string | null
  /** The graph's quads, each moved to the default graph. */
  quads: Quad[]
}

/** One group per distinct graph in first-seen order, the default graph (when present) first. */
export function splitGraphs (quads: Quad[]): GraphGroup[] {
  const groups = new Map<string, GraphGroup>()
  let defaultGroup: GraphGroup | undefined
  for (const q of quads) {
    const g = q.graph
    if (g.termType === 'DefaultGraph') {
      defaultGroup ??= { name: null, quads: [] }
      defaultGroup.quads.push(q)
      continue
    }
    // `_:` cannot start an absolute IRI (a scheme begins with a letter), so the two kinds of name never clash.
    const name = g.termType === 'BlankNode' ? `_:${g.value}` : g.value
    let group = groups.get(name)
    if (group === undefined) {
      group = { name, quads: [] }
      groups.set(name, group)
    }
    group.quads.push(quad(q.subject, q.predicate, q.object, defaultGraph()))
  }
  return defaultGroup === undefined ? [...groups.values()] : [defaultGroup, ...groups.values()]
}
