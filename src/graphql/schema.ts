/**
 * The schema is the committed SDL file `src/graphql/schema.graphql` (printSchema form; a test checks it equals what
 * the server serves), read at start and given its resolvers here, without a schema-building library.
 */
import { readFileSync } from 'node:fs'
import { buildSchema, isInterfaceType, isObjectType } from 'graphql'
import type { GraphQLSchema } from 'graphql'
import { CairnError } from '../errors.js'
import type { ResolverMap } from './resolvers.js'

/** The SDL file. Resolved from the package root, so it is the same file from src/ (tsx, tests) and from dist/. */
export const SCHEMA_FILE = new URL('../../src/graphql/schema.graphql', import.meta.url)

/** The SDL text of the committed schema file. */
export function loadSchemaSource (): string {
  return readFileSync(SCHEMA_FILE, 'utf8')
}

/** Build the SDL and attach field resolvers and interface type resolvers; a resolver for a missing field throws. */
export function buildExecutableSchema (sdl: string, resolvers: ResolverMap): GraphQLSchema {
  const schema = buildSchema(sdl)
  for (const [typeName, byField] of Object.entries(resolvers.fields)) {
    const type = schema.getType(typeName)
    if (!isObjectType(type)) throw new CairnError('INTERNAL', `GraphQL schema: resolvers given for ${typeName}, which is not an object type of the schema`)
    const fields = type.getFields()
    for (const [name, resolve] of Object.entries(byField)) {
      const field = fields[name]
      if (field === undefined) throw new CairnError('INTERNAL', `GraphQL schema: resolver given for ${typeName}.${name}, which is not in the schema`)
      field.resolve = resolve
    }
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isInterfaceType(type) || type.name.startsWith('__')) continue
    const resolveType = resolvers.interfaces[type.name]
    if (resolveType === undefined) throw new CairnError('INTERNAL', `GraphQL schema: interface ${type.name} has no type resolver`)
    type.resolveType = resolveType
  }
  return schema
}
