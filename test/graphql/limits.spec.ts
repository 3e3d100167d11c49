import { Kind, buildSchema, parse } from 'graphql'
import type { OperationDefinitionNode } from 'graphql'
import { describe, expect, it } from 'vitest'
import { CairnError } from '../../src/errors.js'
import { DEFAULT_PAGE_SIZE, LIST_SIZE_ESTIMATE } from '../../src/graphql/constants.js'
import { loadSchemaSource } from '../../src/graphql/index.js'
import { checkOperation } from '../../src/graphql/limits.js'
import type { Limits } from '../../src/graphql/limits.js'

const schema = buildSchema(loadSchemaSource())
const LIMITS: Limits = { maxPageSize: 100, maxDepth: 8, maxCost: 10_000 }

function measure (query: string, variables?: Record<string, unknown>, limits = LIMITS): { depth: number, cost: number } {
  const document = parse(query)
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode
  return checkOperation(schema, document, operation, variables, limits)
}

function refused (query: string, variables?: Record<string, unknown>, limits = LIMITS): CairnError {
  let thrown: unknown
  try { measure(query, variables, limits) } catch (err) { thrown = err }
  expect(thrown, query).toBeInstanceOf(CairnError)
  expect((thrown as CairnError).code).toBe('CAIRN_API_LIMIT')
  return thrown as CairnError
}

describe('checkOperation: depth', () => {
  it('counts nested fields, not fragments, and ignores introspection and __typename', () => {
    expect(measure('{ entity(iri: "x") { iri } }').depth).toBe(2)
    expect(measure('{ entity(iri: "x") { ...E } } fragment E on Entity { facts { nodes { ... on Fact { subject { value } } } } }').depth).toBe(5)
    expect(measure('{ __schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } }')).toEqual({ depth: 0, cost: 0 })
    expect(measure('{ __typename entity(iri: "x") { __typename } }').depth).toBe(1)
  })

  it('refuses deeper than maxDepth with the depth in details', () => {
    const err = refused('{ entity(iri: "x") { iri } }', undefined, { ...LIMITS, maxDepth: 1 })
    expect(err.details).toEqual({ depth: 2, max: 1 })
  })
})

describe('checkOperation: cost', () => {
  it('multiplies by first (given, by variable, by variable default, or the schema default) and by a list estimate', () => {
    const facts = (args: string): string => `query ($n: Int = 7) { entity(iri: "x") { facts${args} { nodes { id } } } }`
    // entity 1 + facts (1 + first × (nodes 1 + 1 × id 1))
    expect(measure(facts('(first: 3)')).cost).toBe(1 + 1 + 3 * 2)
    expect(measure(facts('(first: $n)'), { n: 50 }).cost).toBe(1 + 1 + 50 * 2)
    expect(measure(facts('(first: $n)')).cost).toBe(1 + 1 + 7 * 2)
    expect(measure(facts('')).cost).toBe(1 + 1 + DEFAULT_PAGE_SIZE * 2)
    expect(measure('{ history(ual: "u") { ual } }').cost).toBe(1 + LIST_SIZE_ESTIMATE * 1)
    // Weighted fields: a citation costs 5.
    expect(measure('{ entity(iri: "x") { facts(first: 2) { nodes { citation { json } } } } }').cost).toBe(1 + 1 + 2 * (1 + 1 * (5 + 1)))
  })

  it('counts a fragment once per spread, fast even when spreads nest exponentially', () => {
    const fragments = Array.from({ length: 30 }, (_v, i) => `fragment F${i} on Entity { ...F${i + 1} ...F${i + 1} }`).join('\n')
    const started = performance.now()
    const m = measure(`{ entity(iri: "x") { ...F0 } } ${fragments} fragment F30 on Entity { iri }`, undefined, { ...LIMITS, maxCost: Number.MAX_SAFE_INTEGER })
    expect(performance.now() - started).toBeLessThan(100)
    expect(m.cost).toBe(1 + 2 ** 30)
  })

  it('refuses a cost over maxCost, and any first outside 0…maxPageSize, naming the field', () => {
    const costly = refused('{ assets(first: 100) { nodes { triples(first: 100) { nodes { subject { value } } } } } }')
    expect(costly.details).toMatchObject({ max: 10_000 })
    expect((costly.details as { cost: number }).cost).toBeGreaterThan(10_000)
    expect(refused('{ entity(iri: "x") { inbound(first: 101) { nodes { id } } } }').details).toEqual({ field: 'Entity.inbound', max: 100 })
    expect(refused('query ($n: Int) { search(text: "x", first: $n) { nodes { iri } } }', { n: -1 }).details).toEqual({ field: 'Query.search', max: 100 })
    expect(measure('{ search(text: "x", first: 0) { nodes { iri } } }').cost).toBe(50)
  })
})
