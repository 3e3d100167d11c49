// rdf-canonize ships no types; this declares only what src/rdf uses. Terms are structural so both RDF/JS objects
// (n3 terms, whose fields are getters) and rdf-canonize's own plain objects fit.
declare module 'rdf-canonize' {
  interface CanonizeTerm {
    termType: string
    value: string
    datatype?: { termType: string, value: string }
    language?: string
  }

  interface CanonizeQuad {
    subject: CanonizeTerm
    predicate: CanonizeTerm
    object: CanonizeTerm
    graph: CanonizeTerm
  }

  interface CanonizeOptions {
    algorithm: 'RDFC-1.0'
    format?: 'application/n-quads'
    inputFormat?: 'application/n-quads'
    maxWorkFactor?: number
    maxDeepIterations?: number
    messageDigestAlgorithm?: string
    canonicalIdMap?: Map<string, string>
    signal?: AbortSignal
    rejectURDNA2015?: boolean
  }

  interface NQuadsApi {
    parse (input: string): CanonizeQuad[]
    serialize (dataset: CanonizeQuad[]): string
    serializeQuad (quad: CanonizeQuad): string
    serializeQuadComponents (s: CanonizeTerm, p: CanonizeTerm, o: CanonizeTerm, g: CanonizeTerm): string
  }

  const rdfCanonize: {
    canonize (input: CanonizeQuad[] | string, options: CanonizeOptions): Promise<string>
    NQuads: NQuadsApi
  }
  export default rdfCanonize
  export type { CanonizeTerm, CanonizeQuad, CanonizeOptions, NQuadsApi }
}
