/**
 * The RDF formats Cairn reads and writes, and their media types and file extensions.
 */
import { CairnError } from '../errors.js'

export type RdfFormat = 'jsonld' | 'nquads' | 'ntriples' | 'turtle' | 'trig'

export const RDF_FORMATS: readonly RdfFormat[] = Object.freeze(['jsonld', 'nquads', 'ntriples', 'turtle', 'trig'])

const CONTENT_TYPES: Readonly<Record<RdfFormat, string>> = {
  jsonld: 'application/ld+json',
  nquads: 'application/n-quads',
  ntriples: 'application/n-triples',
  turtle: 'text/turtle',
  trig: 'application/trig'
}

const FORMAT_BY_CONTENT_TYPE: ReadonlyMap<string, RdfFormat> = new Map([
  ['application/ld+json', 'jsonld'],
  // Plain JSON is accepted as JSON-LD: clients often send it without the +ld suffix.
  ['application/json', 'jsonld'],
  ['application/n-quads', 'nquads'],
  ['application/n-triples', 'ntriples'],
  ['text/turtle', 'turtle'],
  ['application/trig', 'trig']
])

const FORMAT_BY_EXTENSION: ReadonlyMap<string, RdfFormat> = new Map([
  ['jsonld', 'jsonld'],
  ['json', 'jsonld'],
  ['nq', 'nquads'],
  ['nt', 'ntriples'],
  ['ttl', 'turtle'],
  ['trig', 'trig']
])

/** Format of a media type; parameters such as `charset` are ignored. Throws RDF_UNSUPPORTED_FORMAT otherwise. */
export function formatFromContentType (contentType: string | undefined): RdfFormat {
  const essence = (contentType ?? '').split(';')[0].trim().toLowerCase()
  const format = FORMAT_BY_CONTENT_TYPE.get(essence)
  if (format === undefined) {
    throw new CairnError('RDF_UNSUPPORTED_FORMAT',
      `formatFromContentType: unsupported media type "${contentType ?? ''}"; use one of ${[...FORMAT_BY_CONTENT_TYPE.keys()].join(', ')}`,
      { details: { contentType: contentType ?? null } })
  }
  return format
}

/** The media type to send for a format. */
export function contentTypeOf (format: RdfFormat): string {
  const type = CONTENT_TYPES[format]
  if (type === undefined) {
    throw new CairnError('RDF_UNSUPPORTED_FORMAT', `contentTypeOf: unknown format "${String(format)}"; use one of ${RDF_FORMATS.join(', ')}`,
      { details: { format } })
  }
  return type
}

/** Format of a file from its extension (.jsonld .json .nq .nt .ttl .trig, any case). */
export function formatFromFilename (path: string): RdfFormat {
  const name = path.split(/[\\/]/).pop() ?? ''
  const dot = name.lastIndexOf('.')
  const format = dot > 0 ? FORMAT_BY_EXTENSION.get(name.slice(dot + 1).toLowerCase()) : undefined
  if (format === undefined) {
    throw new CairnError('RDF_UNSUPPORTED_FORMAT',
      `formatFromFilename: cannot tell the RDF format of "${path}"; use one of the extensions .${[...FORMAT_BY_EXTENSION.keys()].join(' .')}`,
      { details: { path } })
  }
  return format
}

/** n3's name for a format it parses and writes. */
export function n3FormatName (format: Exclude<RdfFormat, 'jsonld'>): string {
  return { nquads: 'N-Quads', ntriples: 'N-Triples', turtle: 'Turtle', trig: 'TriG' }[format]
}
