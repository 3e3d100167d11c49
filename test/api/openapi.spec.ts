import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OPENAPI } from '../../src/api/index.js'
import { ERRORS } from '../../src/errors.js'
import { startTestNode } from '../helpers/node.js'
import type { TestNode } from '../helpers/node.js'

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const

interface Operation {
  parameters?: ReadonlyArray<{ name: string, in: string, required?: boolean }>
  requestBody?: { content: Record<string, unknown> }
  responses: Record<string, unknown>
}

/** The slice of an express 5 router layer this test reads. */
interface Layer {
  route?: { path: string | string[], methods: Record<string, boolean> }
  handle?: { stack?: Layer[] }
  rawPath?: unknown
}

/** Every (METHOD path) mounted on an express 5 router, recursing into nested routers; paths in OpenAPI form. */
function mountedRoutes (stack: Layer[], prefix = ''): string[] {
  const out: string[] = []
  for (const layer of stack) {
    if (layer.route !== undefined) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path]
      for (const path of paths) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on) out.push(`${method.toUpperCase()} ${toOpenApiPath(prefix + path)}`)
        }
      }
    } else if (Array.isArray(layer.handle?.stack)) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : ''
      out.push(...mountedRoutes(layer.handle.stack, prefix + mount))
    }
  }
  return out
}

const toOpenApiPath = (path: string): string => path.replace(/:(\w+)/g, '{$1}')
const toExpressPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1')

function documentedOperations (): Array<{ method: string, path: string, op: Operation }> {
  // An annotation, not a cast: the compiler checks that every documented operation has the fields read here.
  const paths: Record<string, Partial<Record<typeof METHODS[number], Operation>>> = OPENAPI.paths
  const out: Array<{ method: string, path: string, op: Operation }> = []
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const op = item[method]
      if (op !== undefined) out.push({ method: method.toUpperCase(), path, op })
    }
  }
  return out
}

/** Every `$ref` anywhere in a JSON value. */
function refs (value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs)
  if (typeof value !== 'object' || value === null) return []
  return Object.entries(value).flatMap(([k, v]) => k === '$ref' && typeof v === 'string' ? [v] : refs(v))
}

describe('OpenAPI document ↔ mounted routes (real node, real HTTP)', () => {
  let t: TestNode
  let ual: string

  beforeAll(async () => {
    t = await startTestNode()
    const res = await fetch(`${t.url}/assets`, {
      method: 'POST',
      headers: { 'content-type': 'application/n-triples', authorization: `Bearer ${t.token}` },
      body: '<https://ex.org/doc> <https://ex.org/title> "first" .\n'
    })
    expect(res.status).toBe(201)
    ual = ((await res.json()) as { assets: Array<{ ual: string }> }).assets[0].ual
  })
  afterAll(async () => { await t?.close() })

  it('serves OPENAPI unchanged at /openapi.json, as OpenAPI 3.1.x', async () => {
    const res = await fetch(`${t.url}/openapi.json`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('application/json')
    const served = await res.json() as { openapi: string }
    expect(served).toEqual(JSON.parse(JSON.stringify(OPENAPI)))
    expect(served.openapi).toMatch(/^3\.1\.\d+$/)
  })

  it('every $ref resolves and the Problem code enum is the error catalogue', () => {
    const schemas = OPENAPI.components.schemas as Record<string, unknown>
    for (const ref of refs(OPENAPI)) {
      expect(ref).toMatch(/^#\/components\/schemas\//)
      expect(schemas[ref.split('/').pop() as string], ref).toBeDefined()
    }
    expect([...OPENAPI.components.schemas.Problem.properties.code.enum].sort()).toEqual(Object.keys(ERRORS).map((k) => `CAIRN_${k}`).sort())
  })

  it('every operationId is unique and every path parameter is declared', () => {
    const ops = documentedOperations()
    const ids = ops.map(({ op }) => (op as { operationId?: string }).operationId)
    expect(ids.every((id) => typeof id === 'string')).toBe(true)
    expect(new Set(ids).size).toBe(ids.length)
    for (const { method, path, op } of ops) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
      const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name).sort()
      expect(declared, `${method} ${path}`).toEqual(inPath)
    }
  })

  it('the mounted (method, path) set equals the documented set, both directions', () => {
    const mounted = new Set(mountedRoutes(t.node.components.api.app.router.stack as unknown as Layer[]))
    const documented = new Set(documentedOperations().map(({ method, path }) => `${method} ${path}`))
    expect(mounted.size).toBeGreaterThan(0)
    const undocumented = [...mounted].filter((r) => !documented.has(r))
    const unmounted = [...documented].filter((r) => !mounted.has(r))
    expect(undocumented, 'mounted but missing from OPENAPI.paths').toEqual([])
    expect(unmounted, 'in OPENAPI.paths but not mounted (express form: ' + unmounted.map(toExpressPath).join(', ') + ')').toEqual([])
  })

  it('every documented operation answers a real request with a documented, successful status', async () => {
    const sparql = 'SELECT * WHERE { ?s ?p ?o } LIMIT 1'
    const graphql = '{ assets(first: 1) { nodes { ual } } }'
    const samples: Record<string, string> = {
      ual,
      version: '1',
      format: 'ntriples',
      subject: 'https://ex.org/doc',
      predicate: 'https://ex.org/title',
      object: '"first"',
      limit: '10',
      publisher: t.node.components.nodeSigner.address,
      query: sparql
    }
    /** A valid body per media type; RDF bodies depend on the operation (a new asset, or a new version of `ual`). */
    const bodyFor = (path: string, type: string): string | undefined => ({
      'application/n-triples': ({
        '/assets': '<https://ex.org/other> <https://ex.org/title> "another asset" .\n',
        '/assets/{ual}/versions': '<https://ex.org/doc> <https://ex.org/title> "second" .\n'
      } as Record<string, string>)[path],
      'application/json': path === '/mcp' ? JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'openapi-test', version: '1' } } }) : path === '/graphql' ? JSON.stringify({ query: graphql }) : path === '/retrieve' ? JSON.stringify({ question: 'What is the title of doc?', budget: { maxFacts: 5 } }) : undefined,
      'application/sparql-query': sparql,
      'application/x-www-form-urlencoded': new URLSearchParams({ query: sparql }).toString()
    } as Record<string, string | undefined>)[type]
    for (const { method, path, op } of documentedOperations()) {
      let url = path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(samples[name]))
      const query = new URLSearchParams()
      for (const p of op.parameters ?? []) {
        // A request body carries the query itself (SPARQL 1.1 Protocol: not both).
        if (p.in !== 'query' || (p.name === 'query' && op.requestBody !== undefined)) continue
        // `format` names an RDF format on /assets routes and a results format on /sparql; `query` is GraphQL on /graphql.
        const sample = (path === '/sparql' || path === '/contributions') && p.name === 'format' ? 'json' : path === '/graphql' && p.name === 'query' ? graphql : samples[p.name]
        if (sample !== undefined) query.set(p.name, sample)
        else expect(p.required, `no sample value for the required parameter ${p.name} of ${method} ${path}`).not.toBe(true)
      }
      if (query.size > 0) url += `?${query.toString()}`
      // The token is harmless on reads and needed for unsigned writes.
      const headers: Record<string, string> = { authorization: `Bearer ${t.token}` }
      let body: string | undefined
      if (op.requestBody !== undefined) {
        const type = Object.keys(op.requestBody.content).find((ct) => bodyFor(path, ct) !== undefined)
        expect(type, `no sample body for ${method} ${path} (${Object.keys(op.requestBody.content).join(', ')})`).toBeDefined()
        headers['content-type'] = type as string
        body = bodyFor(path, type as string)
      }
      const res = await fetch(t.url + url, { method, headers, ...(body === undefined ? {} : { body }) })
      const text = await res.text()
      const label = `${method} ${url} → ${res.status} ${text.slice(0, 200)}`
      if (res.status === 404) expect(JSON.parse(text).code, label).not.toBe('CAIRN_API_NOT_FOUND')
      expect(Object.keys(op.responses), label).toContain(String(res.status))
      expect(res.status, label).toBeLessThan(300)
    }
  })

  it('an undocumented path or method is CAIRN_API_NOT_FOUND as problem+json', async () => {
    for (const [method, path] of [['GET', '/nope'], ['DELETE', '/assets'], ['PUT', `/assets/${encodeURIComponent(ual)}`]]) {
      const res = await fetch(t.url + path, { method })
      expect(res.status, `${method} ${path}`).toBe(404)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
      expect((await res.json() as { code: string }).code).toBe('CAIRN_API_NOT_FOUND')
    }
  })
})
