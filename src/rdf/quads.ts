/**
 * Small helpers over RDF/JS quads shared by parse, canonicalize and serialize.
 */
import type { Quad, Term } from '@rdfjs/types'
import { DataFactory } from 'n3'

const { quad, defaultGraph } = DataFactory

function termKey (t: Term): string {
  return t.termType === 'Literal' ? `L${t.language}|${t.datatype.value}|${t.value}` : `${t.termType}|${t.value}`
}

/** A string that identifies a quad (same key ⇔ equal quads); unambiguous because only the object varies freely. */
/** A plain-object copy of a term: libraries that read fields directly (rdf-canonize, jsonld) then see no getters. */
export function plainTerm (t: Term): { termType: string, value: string, language?: string, datatype?: { termType: string, value: string } } {
  if (t.termType === 'Literal') {
    return { termType: 'Literal', value: t.value, language: t.language, datatype: { termType: 'NamedNode', value: t.datatype.value } }
  }
  return { termType: t.termType, value: t.value }
}

export function quadKey (q: Quad): string {
  return `${termKey(q.subject)} ${termKey(q.predicate)} ${termKey(q.graph)} ${termKey(q.object)}`
}

/** Quads without repeats, first occurrence kept: RDF graphs are sets (RDF 1.1 Concepts §3). */
export function uniqueQuads (quads: Iterable<Quad>): Quad[] {
  const seen = new Set<string>()
  const out: Quad[] = []
  for (const q of quads) {
    const key = quadKey(q)
    if (seen.has(key)) continue
    seen.add(key)
    out.push(q)
  }
  return out
}

/** The same triples, all in the default graph, without repeats. */
export function inDefaultGraph (quads: Iterable<Quad>): Quad[] {
  const out: Quad[] = []
  for (const q of quads) out.push(q.graph.termType === 'DefaultGraph' ? q : quad(q.subject, q.predicate, q.object, defaultGraph()))
  return uniqueQuads(out)
}
