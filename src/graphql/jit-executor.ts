/**
 * Execution of GraphQL operations compiled to JavaScript by graphql-jit, as an Apollo Server plugin.
 *
 * graphql-js interprets every operation field by field (argument coercion, type checks, promise checks per field);
 * graphql-jit compiles a validated operation against the schema once into a function that does only what that
 * operation needs, with the same resolvers, results and errors. For the benchmark page (50 facts with citations, ~750
 * fields) execution drops from ~1 ms to ~0.3 ms (docs/performance.md#graphql). Apollo still parses, validates, runs
 * the other plugins (the depth and cost limits) and sends the answer.
 *
 * The plugin answers from `responseForOperation`, the hook Apollo gives plugins to answer an operation instead of
 * executing it. (Apollo's other way in, a gateway's executor, wraps every request in an object whose accessors V8
 * keeps in old space: each request's whole result then survived young-generation GCs, ~2 MB per scavenge and ~3 ms
 * pauses instead of ~0.9.) A document is compiled on its `compileAfter`-th execution: one-off documents are not
 * worth a compile (~1 ms for the benchmark page, ~7 ms for the standard introspection query). Apollo runs a document
 * on graphql-js until then, for good when graphql-jit cannot compile it, and whenever the variables do not coerce
 * (graphql-js's errors name the variable, which is how Apollo answers 400 BAD_USER_INPUT). Compiled operations are
 * kept per document object: Apollo reuses the parsed document of a query it has seen (its bounded document cache),
 * so they go when Apollo drops the document.
 */
import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server'
import { HeaderMap } from '@apollo/server'
import { ApolloServerErrorCode } from '@apollo/server/errors'
import { getVariableValues, GraphQLError } from 'graphql'
import type { DocumentNode, ExecutionResult, GraphQLFormattedError, GraphQLSchema, OperationDefinitionNode } from 'graphql'
import { compileQuery, isCompiledQuery } from 'graphql-jit'
import type { CompiledQuery } from 'graphql-jit'

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

/** What an execution needs (Apollo's request context has these, and more). */
export interface ExecutionRequest {
  document: DocumentNode
  operation: OperationDefinitionNode
  operationName: string | null
  request: { variables?: Record<string, unknown> }
  contextValue: unknown
}

/** Counts the executions of each operation and compiles it on its `compileAfter`-th. */
export class CompilingExecutor {
  private readonly schema: GraphQLSchema
  private readonly compileAfter: number
  private readonly operations = new WeakMap<DocumentNode, Map<string, OperationState>>()

  constructor (schema: GraphQLSchema, init: CompilingExecutorInit = {}) {
    this.schema = schema
    this.compileAfter = init.compileAfter ?? DEFAULT_COMPILE_AFTER
  }

  /**
   * The result of this execution if it runs compiled, with graphql-js's GraphQLErrors; undefined when graphql-js
   * should run it (not compiled yet or not compilable, or variables that do not coerce). Counts the execution.
   */
  async compiledResult ({ document, operation, operationName, request, contextValue }: ExecutionRequest): Promise<ExecutionResult | undefined> {
    const compiled = this.compiledFor(document, operationName)
    const variables = request.variables ?? {}
    if (compiled === undefined || 'errors' in getVariableValues(this.schema, operation.variableDefinitions ?? [], variables)) return undefined
    return withGraphqlErrors(await compiled.query(undefined, contextValue, variables))
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

/**
 * The plugin that answers compiled operations. Their errors get what Apollo gives execution errors: `extensions.code`
 * defaulted to INTERNAL_SERVER_ERROR, then the server's `formatError` (format-error.ts).
 */
export function compiledExecutionPlugin (executor: CompilingExecutor, formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError): ApolloServerPlugin {
  return {
    async requestDidStart () {
      return {
        async responseForOperation ({ document, operation, operationName, request, contextValue }): Promise<GraphQLResponse | null> {
          const result = await executor.compiledResult({ document, operation, operationName, request, contextValue })
          if (result === undefined) return null
          const errors = result.errors?.map((e) => formatError({ ...e.toJSON(), extensions: { ...e.extensions, code: e.extensions.code ?? ApolloServerErrorCode.INTERNAL_SERVER_ERROR } }, e))
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: errors === undefined ? { data: result.data } : { data: result.data, errors } }
          }
        }
      }
    }
  }
}

/**
 * graphql-jit's errors inherit from graphql-js's GraphQLError but lack its `extensions` object and have locations
 * without the AST nodes graphql-js derives them from: each becomes a graphql-js GraphQLError with the same message,
 * locations, path, original error and extensions.
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
