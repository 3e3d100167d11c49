/**
 * RDF for Cairn: parse documents (JSON-LD, Turtle, TriG, N-Triples, N-Quads) into RDF/JS quads built with n3's
 * DataFactory, split them by graph, canonicalize each graph with RDFC-1.0 into sorted canonical N-Triples lines
 * (the merkle leaves), and serialize quads back to any format. Skolem IRIs map canonical blank nodes to
 * addressable IRIs per asset version.
 *
 * JSON-LD is parsed offline: only bundled contexts (schema.org) are served, other remote contexts are refused.
 * Every failure is a {@link CairnError} with an `RDF_*` code.
 *
 * @packageDocumentation
 * @example
 * ```ts
 * import { parseRdf, splitGraphs, canonicalizeGraph, skolemizeLine, versionIri } from './rdf/index.js'
 *
 * const quads = await parseRdf('{"@context": "https://schema.org", "@id": "https://ex.org/a", "name": "A"}',
 *   { format: 'jsonld', maxTriples: 10_000 })
 * for (const { name, quads: graph } of splitGraphs(quads)) {
 *   const lines = await canonicalizeGraph(graph) // ['<https://ex.org/a> <http://schema.org/name> "A" .']
 *   const stored = lines.map(line => skolemizeLine(line, versionIri('did:cairn:ual/1', 1)))
 * }
 * ```
 */

export type { Quad, Term } from '@rdfjs/types'
export type { RdfFormat } from './formats.js'
export { RDF_FORMATS, formatFromContentType, contentTypeOf, formatFromFilename } from './formats.js'
export type { ParseOptions } from './parse.js'
export { parseRdf } from './parse.js'
export type { GraphGroup } from './split-graphs.js'
export { splitGraphs } from './split-graphs.js'
export type { CanonicalizeOptions } from './canonicalize.js'
export { canonicalizeGraph, canonicalizeDataset } from './canonicalize.js'
export type { SerializeOptions } from './serialize.js'
export { serializeQuads } from './serialize.js'
export type { JsonTerm } from './ntriples.js'
export { jsonTermToNTriples, termToNTriples, tripleToLine, parseLine } from './ntriples.js'
export { compareCodePoints } from './code-point-order.js'
export { MAX_WORK_FACTOR } from './constants.js'
export { versionIri, skolemIri, skolemLabel, skolemizeLine, deskolemizeLine, GENID_PATH } from './skolem.js'
