/**
 * JSON-LD document loader that works offline: it serves the contexts bundled in contexts/ and refuses every other
 * URL, so parsing never reaches the network (a remote context is both a privacy leak and a way to change a
 * document's triples after it was signed). `allowRemoteContexts` opts back into jsonld's Node loader.
 */
import { readFile } from 'node:fs/promises'
import jsonld from 'jsonld'
import { CairnError } from '../errors.js'
import { SCHEMA_ORG_CONTEXT_URLS } from './constants.js'

export interface RemoteDocument {
  contextUrl: string | null
  documentUrl: string
  document: unknown
  /** 'static' lets jsonld keep the resolved context in its shared cache across calls. */
  tag?: string
}

export type DocumentLoader = (url: string) => Promise<RemoteDocument>

// src/rdf/ and dist/rdf/ both sit two levels below the package root, beside contexts/.
const CONTEXTS_DIR = new URL('../../contexts/', import.meta.url)

/** Bundled context file (under contexts/) by the URLs it answers for. */
export const BUNDLED_CONTEXTS: ReadonlyMap<string, string> = new Map(
  SCHEMA_ORG_CONTEXT_URLS.map(url => [url, 'schema.org.jsonld'])
)

const loaded = new Map<string, Promise<unknown>>()

/** Read and parse one bundled context file, once per process. */
export async function loadBundledContext (file: string): Promise<unknown> {
  let doc = loaded.get(file)
  if (doc === undefined) {
    doc = readFile(new URL(file, CONTEXTS_DIR), 'utf8').then(text => JSON.parse(text) as unknown)
    loaded.set(file, doc)
    doc.catch(() => loaded.delete(file))
  }
  try {
    return await doc
  } catch (err) {
    throw new CairnError('INTERNAL', `bundled JSON-LD context ${file} is missing or invalid under ${CONTEXTS_DIR.pathname}; reinstall the package`,
      { cause: err })
  }
}

let nodeLoader: DocumentLoader | undefined

export interface DocumentLoaderInit {
  /** Fetch contexts that are not bundled over the network (default false: refuse with RDF_REMOTE_CONTEXT). */
  allowRemoteContexts?: boolean
}

export function createDocumentLoader (init: DocumentLoaderInit = {}): DocumentLoader {
  return async (url: string): Promise<RemoteDocument> => {
    const file = BUNDLED_CONTEXTS.get(url)
    if (file !== undefined) {
      return { contextUrl: null, documentUrl: url, document: await loadBundledContext(file), tag: 'static' }
    }
    if (init.allowRemoteContexts === true) {
      nodeLoader ??= (jsonld as unknown as { documentLoaders: { node: () => DocumentLoader } }).documentLoaders.node()
      return await nodeLoader(url)
    }
    throw new CairnError('RDF_REMOTE_CONTEXT',
      `parseRdf: remote JSON-LD context <${url}> refused; only bundled contexts (schema.org) are served offline. ` +
      'Inline the context in the document, or pass allowRemoteContexts: true',
      { details: { url } })
  }
}
