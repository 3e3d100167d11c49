import { readFileSync } from 'node:fs'
import { buildSchema, isObjectType, printSchema } from 'graphql'
import { describe, expect, it } from 'vitest'
import { CairnError } from '../../src/errors.js'
import { DEFAULT_PAGE_SIZE, SCHEMA_FILE, loadSchemaSource } from '../../src/graphql/index.js'
import { buildExecutableSchema } from '../../src/graphql/schema.js'

describe('the committed schema file', () => {
  const sdl = loadSchemaSource()

  it('is in printSchema form, so a diff of it is a diff of the API', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(sdl)
    expect(printSchema(buildSchema(sdl)) + '\n').toBe(sdl)
  })

  it('documents the default page size of every paged field as DEFAULT_PAGE_SIZE', () => {
    const schema = buildSchema(sdl)
    let paged = 0
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue
      for (const field of Object.values(type.getFields())) {
        const first = field.args.find((a) => a.name === 'first')
        if (first === undefined) continue
        paged++
        expect(first.defaultValue, `${type.name}.${field.name}`).toBe(DEFAULT_PAGE_SIZE)
        expect(field.args.map((a) => a.name), `${type.name}.${field.name}`).toContain('after')
      }
    }
    expect(paged).toBe(5)
  })
})

describe('buildExecutableSchema', () => {
  const sdl = 'interface Node { id: ID! } type A implements Node { id: ID! } type Query { a: A, node: Node }'

  it('attaches field resolvers and interface type resolvers', () => {
    const schema = buildExecutableSchema(sdl, { fields: { Query: { a: () => ({ id: '1' }) } }, interfaces: { Node: () => 'A' } })
    expect(typeof schema.getQueryType()?.getFields().a.resolve).toBe('function')
  })

  it('refuses a resolver for a field or type the schema lacks, and an interface without a type resolver', () => {
    const attempts: Array<() => unknown> = [
      () => buildExecutableSchema(sdl, { fields: { Query: { b: () => null } }, interfaces: { Node: () => 'A' } }),
      () => buildExecutableSchema(sdl, { fields: { Nope: { a: () => null } }, interfaces: { Node: () => 'A' } }),
      () => buildExecutableSchema(sdl, { fields: {}, interfaces: {} })
    ]
    for (const attempt of attempts) expect(attempt).toThrow(CairnError)
  })
})
