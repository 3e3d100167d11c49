import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { SCHEMA_ORG_CONTEXT_URLS } from '../../src/rdf/constants.js'
import { BUNDLED_CONTEXTS, createDocumentLoader, loadBundledContext } from '../../src/rdf/document-loader.js'
import { rejectsWith } from '../helpers/errors.js'

describe('createDocumentLoader', () => {
  it('serves the bundled schema.org context for every URL schema.org answers on', async () => {
    const load = createDocumentLoader()
    const expected = JSON.parse(await readFile(new URL('../../contexts/schema.org.jsonld', import.meta.url), 'utf8')) as unknown
    expect(SCHEMA_ORG_CONTEXT_URLS).toEqual(expect.arrayContaining(['https://schema.org', 'https://schema.org/', 'http://schema.org', 'http://schema.org/', 'https://schema.org/docs/jsonldcontext.json']))
    for (const url of SCHEMA_ORG_CONTEXT_URLS) {
      const doc = await load(url)
      expect(doc).toMatchObject({ contextUrl: null, documentUrl: url, tag: 'static' })
      expect(doc.document).toEqual(expected)
    }
  })

  it('refuses anything else with RDF_REMOTE_CONTEXT', async () => {
    const err = await rejectsWith(createDocumentLoader()('https://schema.org.evil.example/'), 'RDF_REMOTE_CONTEXT')
    expect(err.details).toEqual({ url: 'https://schema.org.evil.example/' })
  })

  it('bundles a substantial, faithful schema.org context', async () => {
    const file = BUNDLED_CONTEXTS.get('https://schema.org/')
    expect(file).toBe('schema.org.jsonld')
    const { '@context': ctx } = await loadBundledContext(file ?? '') as { '@context': Record<string, unknown> }
    // schema.org's own context keeps the http vocabulary (https IRIs are equivalent but not equal).
    expect(ctx['@vocab']).toBe('http://schema.org/')
    expect(ctx).toMatchObject({ type: '@type', id: '@id', schema: 'http://schema.org/' })
    expect(ctx.url).toEqual({ '@id': 'schema:url', '@type': '@id' })
    expect(ctx.sameAs).toEqual({ '@id': 'schema:sameAs', '@type': '@id' })
    expect(ctx.image).toEqual({ '@id': 'schema:image', '@type': '@id' })
    expect(ctx.datePublished).toEqual({ '@id': 'schema:datePublished', '@type': 'Date' })
    expect(Object.keys(ctx).length).toBeGreaterThan(100)
  })
})
