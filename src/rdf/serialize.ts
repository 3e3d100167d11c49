/**
 * RDF/JS quads → text. n3's Writer for the line and Turtle-family formats, jsonld.fromRDF + compact for JSON-LD.
 */
import type { Quad } from '@rdfjs/types'
import { Writer } from 'n3'
import jsonld from 'jsonld'
import { CairnError } from '../errors.js'
import { createDocumentLoader } from './document-loader.js'
import { RDF_FORMATS, n3FormatName } from './formats.js'
import type { RdfFormat } from './formats.js'
import { inDefaultGraph, plainTerm, uniqueQuads } from './quads.js'

export interface SerializeOptions {
  /** Prefix → namespace IRI, used by Turtle, TriG and JSON-LD (as the compaction context). */
  prefixes?: Record<string, string>
}

const jsonldApi = jsonld as unknown as {
  fromRDF: (input: unknown[], options: Record<string, unknown>) => Promise<unknown>
  compact: (input: unknown, context: unknown, options: Record<string, unknown>) => Promise<unknown>
}

/**
 * Write quads in a format. Turtle and N-Triples hold one graph, so graph names are dropped there (and the triples
 * merged); TriG and N-Quads keep them. JSON-LD comes out compacted against `prefixes` and pretty-printed.
 */
export async function serializeQuads (quads: Quad[], format: RdfFormat, options: SerializeOptions = {}): Promise<string> {
  switch (format) {
    case 'turtle':
    case 'ntriples':
      return await writeWithN3(inDefaultGraph(quads), format, options.prefixes)
    case 'trig':
    case 'nquads':
      return await writeWithN3(uniqueQuads(quads), format, options.prefixes)
    case 'jsonld':
      return await writeJsonLd(uniqueQuads(quads), options.prefixes ?? {})
    default:
      throw new CairnError('RDF_UNSUPPORTED_FORMAT', `serializeQuads: unknown format "${String(format)}"; use one of ${RDF_FORMATS.join(', ')}`,
        { details: { format } })
  }
}

async function writeWithN3 (quads: Quad[], format: Exclude<RdfFormat, 'jsonld'>, prefixes: Record<string, string> | undefined): Promise<string> {
  // Prefixes mean nothing to the line formats; n3 would silently ignore them anyway.
  const usePrefixes = prefixes !== undefined && (format === 'turtle' || format === 'trig')
  const writer = new Writer({ format: n3FormatName(format), ...(usePrefixes ? { prefixes } : {}) })
  writer.addQuads(quads)
  return await new Promise<string>((resolve, reject) => {
    writer.end((err: Error | null, result: string) => {
      if (err !== null && err !== undefined) reject(new CairnError('INTERNAL', `serializeQuads: n3 Writer failed: ${err.message}`, { cause: err }))
      else resolve(result)
    })
  })
}

async function writeJsonLd (quads: Quad[], prefixes: Record<string, string>): Promise<string> {
  const dataset = quads.map(q => ({
    subject: plainTerm(q.subject),
    predicate: plainTerm(q.predicate),
    object: plainTerm(q.object),
    // jsonld 9's fromRDF names a graph by `graph.value` verbatim (subjects get their `_:` via _nodeId), so a
    // blank-node graph name needs the prefix here or it comes out as a relative IRI.
    graph: q.graph.termType === 'BlankNode' ? { termType: 'BlankNode', value: `_:${q.graph.value}` } : plainTerm(q.graph)
  }))
  // useNativeTypes false keeps xsd:integer etc. as typed strings, so parse(serialize(x)) gives x back exactly.
  const expanded = await jsonldApi.fromRDF(dataset, { useNativeTypes: false, useRdfType: false })
  // JSON-LD terms cannot be empty or keywords (Turtle's default prefix `:` has no JSON-LD equivalent).
  const context = Object.fromEntries(Object.entries(prefixes).filter(([name]) => name !== '' && !name.startsWith('@')))
  const compacted = await jsonldApi.compact(expanded, context, { documentLoader: createDocumentLoader() })
  return `${JSON.stringify(compacted, null, 2)}\n`
}
