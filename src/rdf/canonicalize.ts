/**
 * RDF Dataset Canonicalization (RDFC-1.0, https://www.w3.org/TR/rdf-canon/) through rdf-canonize, with a fixed
 * work bound so every node accepts or refuses the same inputs.
 */
import type { Quad } from '@rdfjs/types'
import rdfCanonize from 'rdf-canonize'
import type { CanonizeQuad } from 'rdf-canonize'
import { CairnError } from '../errors.js'
import { sortUniqueCodePoints } from './code-point-order.js'
import { DEFAULT_HASH_ALGORITHM, MAX_WORK_FACTOR } from './constants.js'
import { inDefaultGraph, plainTerm, uniqueQuads } from './quads.js'

export interface CanonicalizeOptions {
  /** Abort a long run (e.g. `AbortSignal.timeout(ms)`); checked periodically. Raises RDF_CANONICALIZATION_LIMIT. */
  signal?: AbortSignal
  /** RDFC-1.0 hash (default sha256); the W3C suite also tests SHA-384. Changing it changes every label. */
  hashAlgorithm?: string
  /** Filled with input blank node label → canonical label (`c14nN`), as RDFC-1.0 §4.4 issued identifiers map. */
  canonicalIdMap?: Map<string, string>
}

// rdf-canonize reads plain fields; copying also detaches it from n3's getter-based term classes.
function plainQuad (q: Quad): CanonizeQuad {
  return { subject: plainTerm(q.subject), predicate: plainTerm(q.predicate), object: plainTerm(q.object), graph: plainTerm(q.graph) }
}

/**
 * Canonical N-Quads document of a dataset (graphs kept): one line per distinct quad, each ending in `\n`, blank
 * nodes labelled `_:c14nN`, lines in code point order. Throws RDF_CANONICALIZATION_LIMIT when the graph needs more
 * than {@link MAX_WORK_FACTOR} allows (poison graphs) or `signal` aborts.
 */
export async function canonicalizeDataset (quads: Quad[], options: CanonicalizeOptions = {}): Promise<string> {
  // Duplicates must go first: they would change first-degree hashes and so the labels (RDF datasets are sets).
  const dataset = uniqueQuads(quads).map(plainQuad)
  let nquads: string
  try {
    nquads = await rdfCanonize.canonize(dataset, {
      algorithm: 'RDFC-1.0',
      format: 'application/n-quads',
      maxWorkFactor: MAX_WORK_FACTOR,
      messageDigestAlgorithm: options.hashAlgorithm ?? DEFAULT_HASH_ALGORITHM,
      ...(options.canonicalIdMap === undefined ? {} : { canonicalIdMap: options.canonicalIdMap }),
      ...(options.signal === undefined ? {} : { signal: options.signal })
    })
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    const aborted = /Abort signal received/.test(message)
    if (aborted || /Maximum deep iterations exceeded/.test(message)) {
      throw new CairnError('RDF_CANONICALIZATION_LIMIT', aborted
        ? `canonicalize: stopped by the caller's abort signal (${message})`
        : `canonicalize: ${message} The graph's blank nodes are too symmetric to label within the work limit ` +
          `(n^${MAX_WORK_FACTOR}); give some of them IRIs or distinguishing properties`,
      { details: { maxWorkFactor: MAX_WORK_FACTOR, aborted }, cause: err })
    }
    throw new CairnError('INTERNAL', `canonicalize: rdf-canonize failed: ${message}`, { cause: err })
  }
  if (nquads === '') return ''
  // rdf-canonize sorts by UTF-16 code units; RDFC-1.0 wants code point order. They differ only past U+FFFF.
  return sortUniqueCodePoints(nquads.slice(0, -1).split('\n')).map(line => `${line}\n`).join('')
}

/**
 * Canonical N-Triples lines of one graph: every quad is taken as a triple of the default graph, canonicalized with
 * RDFC-1.0, deduplicated and sorted by code point (= UTF-8 byte order). Lines carry no trailing newline.
 */
export async function canonicalizeGraph (quads: Quad[], options: Omit<CanonicalizeOptions, 'hashAlgorithm'> = {}): Promise<string[]> {
  const nquads = await canonicalizeDataset(inDefaultGraph(quads), options)
  if (nquads === '') return []
  return sortUniqueCodePoints(nquads.slice(0, -1).split('\n'))
}
