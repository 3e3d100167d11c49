import { execute, getOperationAST, GraphQLError, parse, validate } from 'graphql'
import type { ExecutionResult } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keysReady } from '../../src/asset/index.js'
import { createCairnClient } from '../../src/client/index.js'
import { isCairnError } from '../../src/errors.js'
import { CompilingExecutor } from '../../src/graphql/jit-executor.js'
import type { ExecutionRequest } from '../../src/graphql/jit-executor.js'
import { createLoaders } from '../../src/graphql/loaders.js'
import type { GraphqlContext } from '../../src/graphql/resolvers.js'
import { proofReady } from '../../src/proof/index.js'
import { startTestNode } from '../helpers/node.js'
import type { TestNode } from '../helpers/node.js'
import { EX, PEOPLE_TRIG, S } from '../helpers/rag.js'

const TERM = 'termType value ... on Literal { language datatype { value } } ... on BlankNode { value }'
const FACT = `id subject { ${TERM} } predicate { value } object { ${TERM} } source { ual version root anchor }
  citation { json proof leafIndex } bare: citation(withProof: false) { json proof }`
const EXTRA = `@prefix s: <https://schema.org/> . @prefix ex: <https://example.org/> .
ex:ada s:alternateName "Augusta Ada"@en, "Ada \\"the Enchantress\\" of Numbers"@en-GB ; s:height 1.65 ;
  s:address [ s:addressLocality "London" ; s:postalCode "W1" ] .`

/** A result as a client sees it: data, and each error's message, path, locations and Cairn code. */
function seen (result: ExecutionResult): unknown {
  return {
    data: result.data,
    errors: result.errors?.map((e) => ({ message: e.message, path: e.path, locations: e.locations, code: isCairnError(e.originalError) ? e.originalError.code : undefined }))
  }
}

describe('CompilingExecutor (graphql-jit) against graphql-js, on a real node', () => {
  let t: TestNode
  let ual: string

  const context = (): GraphqlContext => {
    const { store, assets } = t.node.components
    return { loaders: createLoaders({ store, assets }), requestHash: `0x${'00'.repeat(32)}` }
  }
  const request = (query: string, variables: Record<string, unknown> = {}): ExecutionRequest => {
    const document = parse(query)
    const operation = getOperationAST(document)
    if (operation === null || operation === undefined) throw new Error('no operation')
    return { document, operation, operationName: null, request: { variables }, contextValue: context() }
  }
  /** The compiled result of an execution that must run compiled. */
  const compiledOf = async (executor: CompilingExecutor, r: ExecutionRequest): Promise<ExecutionResult> => {
    const result = await executor.compiledResult(r)
    if (result === undefined) throw new Error('not compiled')
    return result
  }

  beforeAll(async () => {
    await Promise.all([proofReady(), keysReady()])
    t = await startTestNode({ p2p: false, workers: 0, sparqlReplicas: 1 })
    const client = createCairnClient({ url: t.url, token: t.token })
    await client.publishRdf(PEOPLE_TRIG, 'trig')
    ual = (await client.publishRdf(EXTRA, 'turtle'))[0].ual
    await t.node.components.sparql.whenReady()
  }, 60_000)

  afterAll(async () => { await t?.close() })

  it('answers every query of the corpus with what graphql-js answers: data, errors, paths and codes', async () => {
    const schema = t.node.components.graphql.schema
    const corpus: Array<[string, Record<string, unknown>?]> = [
      [`query ($iri: String!) { entity(iri: $iri) { iri facts(first: 50) { edges { cursor node { ${FACT} } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`, { iri: `${EX}ada` }],
      [`{ entity(iri: "${EX}acme") { inbound(first: 5) { nodes { subject { value } predicate { value } } } byName: facts(predicate: "${S}name") { totalCount: nodes { object { value } } } } }`],
      [`{ entity(iri: "${EX}ada") { id term { termType value } } }`],
      [`query ($u: String!) { asset(ual: $u) { id ual version root previousRoot publisher signature timestamp anchor holders versions { version } triples(first: 3) { nodes { leafIndex: id object { ${TERM} } } pageInfo { hasNextPage endCursor } } } }`, { u: ual }],
      [`query ($u: String!) { history(ual: $u) { ual version root } }`, { u: ual }],
      ['{ assets(first: 3) { nodes { ual } pageInfo { hasNextPage endCursor } } }'],
      ['{ search(text: "ada lovelace", first: 3) { edges { score literal { value language } node { iri } } } }'],
      [`{ sparql(query: "SELECT ?n WHERE { <${EX}ada> <${S}name> ?n }") { kind contentType body rows truncated } }`],
      // Errors: resolvers throwing CairnErrors at the root and below, and a non-null field failing.
      ['{ asset(ual: "not-a-ual") { ual } }'],
      ['{ sparql(query: "INSERT DATA { <a:b> <a:c> <a:d> }") { body } }'],
      [`{ entity(iri: "${EX}ada") { facts(first: 100000) { nodes { id } } } }`],
      [`{ entity(iri: "${EX}ada") { facts(after: "bogus") { nodes { id } } } }`],
      [`{ ok: entity(iri: "${EX}grace") { iri } bad: asset(ual: "did:cairn:nope") { ual } }`]
    ]
    const compiled = new CompilingExecutor(schema, { compileAfter: 1 })
    for (const [query, variables] of corpus) {
      const r = request(query, variables)
      expect(validate(schema, r.document), query).toEqual([])
      const jit = await compiledOf(compiled, r)
      expect(compiled.isCompiled(r.document, null), query).toBe(true)
      const js = await execute({ schema, document: r.document, contextValue: context(), variableValues: variables })
      expect(seen(jit), query).toEqual(seen(js))
      for (const e of jit.errors ?? []) expect(e).toBeInstanceOf(GraphQLError)
    }
    // The corpus is not vacuous: the first query read all of Ada's facts, and five queries failed with their codes.
    const first = await compiledOf(compiled, request(corpus[0][0], corpus[0][1]))
    expect((first.data as { entity: { facts: { edges: unknown[] } } }).entity.facts.edges.length).toBeGreaterThan(8)
    const codes = []
    for (const [query] of corpus.slice(8)) codes.push((seen(await compiledOf(compiled, request(query))) as { errors: Array<{ code: string }> }).errors[0].code)
    expect(codes).toEqual(['CAIRN_ASSET_BAD_UAL', 'CAIRN_SPARQL_UPDATE_REFUSED', 'CAIRN_API_LIMIT', 'CAIRN_API_BAD_REQUEST', 'CAIRN_ASSET_BAD_UAL'])
  })

  it('compiles a document on its compileAfter-th run (graphql-js runs it before), never with 0, and answers the same', async () => {
    const schema = t.node.components.graphql.schema
    const query = `{ entity(iri: "${EX}ada") { facts(first: 20) { nodes { predicate { value } citation { json } } } } }`
    const third = new CompilingExecutor(schema, { compileAfter: 3 })
    const r = request(query)
    const expected = JSON.stringify(await execute({ schema, document: r.document, contextValue: context() }))
    for (let run = 1; run <= 4; run++) {
      const result = await third.compiledResult(r)
      expect(third.isCompiled(r.document, null)).toBe(run >= 3)
      expect(result === undefined).toBe(run < 3)
      if (result !== undefined) expect(JSON.stringify(result)).toBe(expected)
    }
    expect(expected).toContain('"json"')
    const never = new CompilingExecutor(schema, { compileAfter: 0 })
    for (let run = 0; run < 3; run++) expect(await never.compiledResult(r)).toBeUndefined()
    expect(never.isCompiled(r.document, null)).toBe(false)
  })

  it('leaves variables that do not coerce to graphql-js, whose errors name the variable definition', async () => {
    const schema = t.node.components.graphql.schema
    const executor = new CompilingExecutor(schema, { compileAfter: 1 })
    const r = request('query ($n: Int) { assets(first: $n) { nodes { ual } } }', { n: 'many' })
    expect(await executor.compiledResult(r)).toBeUndefined()
    expect(executor.isCompiled(r.document, null)).toBe(true)
    const js = await execute({ schema, document: r.document, contextValue: context(), variableValues: { n: 'many' } })
    expect(js.errors?.[0].message).toMatch(/^Variable "\$n" got invalid value "many"/)
    const good = { ...r, request: { variables: { n: 2 } } }
    expect(seen(await compiledOf(executor, good))).toEqual(seen(await execute({ schema, document: r.document, contextValue: context(), variableValues: { n: 2 } })))
  })
})
