/**
 * Execution of GraphQL operations compiled to JavaScript by graphql-jit, behind Apollo Server's executor hook.
 *
 * graphql-js interprets every operation field by field (argument coercion, type checks, promise checks per field);
 * graphql-jit compiles a validated operation against the schema once into a function that does only what that
 * operation needs, with the same resolvers, results and errors. For the benchmark page (50 facts with citations, ~750
 * fields) execution drops from ~1 ms to ~0.3 ms (docs/performance.md#graphql). Apollo still parses, validates, runs
 * the plugins (the depth and cost limits) and formats errors; only execution is replaced.
 *
 * Apollo Server 5 takes a custom executor only through its gateway interface (made for federation): this module is
 * a gateway with a fixed schema whose executor compiles. A document is compiled on its `compileAfter`-th execution
 * (one-off documents are not worth a compile, ~1–5 ms) and runs on graphql-js until then, or for good when graphql-jit
 * cannot compile it. Compiled operations are kept per document object: Apollo reuses the parsed document of a query
 * it has seen (its bounded document cache), so they go when Apollo drops the document.
 */
import type { ApolloServerOptionsWithGateway } from '@apollo/server'
import { execute, getVariableValues, GraphQLError, printSchema } from 'graphql'
import type { DocumentNode, ExecutionResult, GraphQLSchema, OperationDefinitionNode } from 'graphql'
import { compileQuery, isCompiledQuery } from 'graphql-jit'
import type { CompiledQuery } from 'graphql-jit'
import type { GraphqlContext } from './resolvers.js'

export type ExecutorGateway = ApolloServerOptionsWithGateway<GraphqlContext>['gateway']

export interface CompilingExecutorInit {
  /** Executions of one document before it is compiled (default 2: compiled on its second run); 0 = never compile. */
  compileAfter?: number
}

export const DEFAULT_COMPILE_AFTER = 2

/** Per operation of a document: how often it ran, and its compiled form once made (null: not compilable). */
interface OperationState {
  runs: number
  compiled?: CompiledQuery | null
}

/** What an execution needs: Apollo's request context has these (and more). */
export interface ExecutionRequest {
  document: DocumentNode
  operation: OperationDefinitionNode
  operationName: string | null
  request: { variables?: Record<string, unknown> }
  context: unknown
}

/** Runs operations on graphql-js until they have run `compileAfter` times, then compiled. */
export class CompilingExecutor {
  private readonly schema: GraphQLSchema
  private readonly compileAfter: number
  private readonly operations = new WeakMap<DocumentNode, Map<string, OperationState>>()

  constructor (schema: GraphQLSchema, init: CompilingExecutorInit = {}) {
    this.schema = schema
    this.compileAfter = init.compileAfter ?? DEFAULT_COMPILE_AFTER
  }

  async execute ({ document, operation, operationName, request, context }: ExecutionRequest): Promise<ExecutionResult> {
    const compiled = this.compiledFor(document, operationName)
    const variables = request.variables ?? {}
    // Variables that do not coerce are answered by graphql-js: its errors point at the variable definition, which is
    // how Apollo tells a client's bad input (400, BAD_USER_INPUT) from a failure.
    if (compiled !== undefined && !('errors' in getVariableValues(this.schema, operation.variableDefinitions ?? [], variables))) {
      return withGraphqlErrors(await compiled.query(undefined, context, variables))
    }
    return await execute({ schema: this.schema, document, contextValue: context, variableValues: variables, operationName })
  }

  /** Whether this operation of `document` runs compiled now. */
  isCompiled (document: DocumentNode, operationName: string | null): boolean {
    return (this.operations.get(document)?.get(operationName ?? '')?.compiled ?? null) !== null
  }

  private compiledFor (document: DocumentNode, operationName: string | null): CompiledQuery | undefined {
    let byName = this.operations.get(document)
    if (byName === undefined) {
      byName = new Map()
      this.operations.set(document, byName)
    }
    const key = operationName ?? ''
    let state = byName.get(key)
    if (state === undefined) {
      state = { runs: 0 }
      byName.set(key, state)
    }
    if (state.compiled === undefined && this.compileAfter > 0 && ++state.runs >= this.compileAfter) {
      const compiled = compileQuery(this.schema, document, operationName ?? undefined)
      state.compiled = isCompiledQuery(compiled) ? compiled : null
    }
    return state.compiled ?? undefined
  }
}

/** An Apollo gateway serving `schema`, its operations run by `executor`. */
export function executorGateway (schema: GraphQLSchema, executor: CompilingExecutor): ExecutorGateway {
  return {
    onSchemaLoadOrUpdate (callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) })
      return () => {}
    },
    async load () {
      return { executor: async (requestContext) => await executor.execute(requestContext) }
    },
    async stop () {}
  }
}

/**
 * graphql-jit's errors inherit from graphql-js's GraphQLError but lack its `extensions` object (Apollo reads
 * `extensions.code` of every error) and have locations without the AST nodes graphql-js derives them from: each
 * becomes a graphql-js GraphQLError with the same message, locations, path, original error and extensions.
 */
function withGraphqlErrors (result: ExecutionResult): ExecutionResult {
  if (result.errors === undefined) return result
  return {
    ...result,
    errors: result.errors.map((e) => {
      const err = new GraphQLError(e.message, { path: e.path, originalError: e.originalError, extensions: e.extensions })
      return e.locations === undefined ? err : Object.assign(err, { locations: e.locations })
    })
  }
}
