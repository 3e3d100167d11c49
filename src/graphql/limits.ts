/**
 * Depth and cost limits, checked once per operation before anything runs (an Apollo plugin hook), so an
 * expensive query is refused whole with `CAIRN_API_LIMIT` instead of being cut half-way.
 *
 * Depth counts nested fields (introspection fields excluded: the standard introspection query is deep but cheap).
 * Cost: a field costs its weight ({@link FIELD_WEIGHTS}, default 1) plus its multiplier times the cost of its
 * selection; the multiplier is `first` on paged fields, {@link LIST_SIZE_ESTIMATE} on other list fields, else 1.
 * Every `first` is also checked against the page size cap here, so a too-large page fails before execution.
 */
import { GraphQLError, Kind, getNamedType, getNullableType, isInterfaceType, isListType, isObjectType } from 'graphql'
import type {
  DocumentNode, FieldNode, FragmentDefinitionNode, GraphQLField, GraphQLNamedType, GraphQLSchema, OperationDefinitionNode, SelectionSetNode, ValueNode
} from 'graphql'
import type { ApolloServerPlugin } from '@apollo/server'
import { CairnError, isCairnError } from '../errors.js'
import { DEFAULT_PAGE_SIZE, FIELD_WEIGHTS, LIST_SIZE_ESTIMATE } from './constants.js'

/** The limits one operation must stay within (see constants.ts for the defaults). */
export interface Limits {
  maxPageSize: number
  maxDepth: number
  maxCost: number
}

/** What an operation measured: its deepest field nesting and its estimated cost. */
export interface OperationMeasure { depth: number, cost: number }

/**
 * Measure an operation and throw API_LIMIT when a `first`, the depth or the cost is over its limit. `variables` are
 * the raw request variables (a `first` given by a variable counts with its value, or the variable's default).
 */
export function checkOperation (schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined, limits: Limits): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>()
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def)
  const defaults = new Map<string, ValueNode>()
  for (const v of operation.variableDefinitions ?? []) if (v.defaultValue !== undefined) defaults.set(v.variable.name.value, v.defaultValue)
  // A fragment's measure does not depend on where it is spread: memoize it (a fragment spread twice in a fragment
  // spread twice… would otherwise cost exponential time to measure).
  const memo = new Map<string, OperationMeasure>()

  const intValue = (node: ValueNode | undefined): number | undefined => {
    if (node === undefined) return undefined
    if (node.kind === Kind.INT) return Number(node.value)
    if (node.kind === Kind.VARIABLE) {
      const raw = variables?.[node.name.value]
      return typeof raw === 'number' ? raw : raw === undefined ? intValue(defaults.get(node.name.value)) : undefined
    }
    return undefined
  }

  const pageSize = (field: FieldNode, def: GraphQLField<unknown, unknown>, where: string): number => {
    const given = intValue(field.arguments?.find((a) => a.name.value === 'first')?.value)
    const fallback = def.args.find((a) => a.name === 'first')?.defaultValue
    const n = given ?? (typeof fallback === 'number' ? fallback : DEFAULT_PAGE_SIZE)
    if (!Number.isInteger(n) || n < 0 || n > limits.maxPageSize) {
      throw new CairnError('API_LIMIT', `${where}: first must be 0…${limits.maxPageSize}, got ${n}; follow pageInfo.endCursor for more`,
        { details: { field: where, max: limits.maxPageSize } })
    }
    return n
  }

  const measure = (set: SelectionSetNode, parent: GraphQLNamedType | undefined): OperationMeasure => {
    let depth = 0
    let cost = 0
    for (const sel of set.selections) {
      let inner: OperationMeasure
      if (sel.kind === Kind.FIELD) {
        const name = sel.name.value
        if (name.startsWith('__')) continue
        const def = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined
        if (def === undefined) continue
        const where = `${parent?.name ?? ''}.${name}`
        const child = sel.selectionSet === undefined ? { depth: 0, cost: 0 } : measure(sel.selectionSet, getNamedType(def.type))
        const multiplier = def.args.some((a) => a.name === 'first')
          ? pageSize(sel, def, where)
          : isListType(getNullableType(def.type)) && !(parent?.name.endsWith('Connection') ?? false) ? LIST_SIZE_ESTIMATE : 1
        inner = { depth: 1 + child.depth, cost: (FIELD_WEIGHTS[where] ?? 1) + multiplier * child.cost }
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        inner = measure(sel.selectionSet, sel.typeCondition === undefined ? parent : schema.getType(sel.typeCondition.name.value))
      } else {
        const name = sel.name.value
        const cached = memo.get(name)
        const fragment = fragments.get(name)
        if (cached !== undefined) inner = cached
        else if (fragment === undefined) continue
        else {
          inner = measure(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value))
          memo.set(name, inner)
        }
      }
      depth = Math.max(depth, inner.depth)
      cost += inner.cost
    }
    return { depth, cost }
  }

  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType()
  const result = measure(operation.selectionSet, root ?? undefined)
  if (result.depth > limits.maxDepth) {
    throw new CairnError('API_LIMIT', `the query nests fields ${result.depth} deep; the limit is ${limits.maxDepth}: split it into several queries`,
      { details: { depth: result.depth, max: limits.maxDepth } })
  }
  if (result.cost > limits.maxCost) {
    throw new CairnError('API_LIMIT', `the query's estimated cost is ${result.cost}; the limit is ${limits.maxCost}: ask smaller pages (first) or fewer nested lists`,
      { details: { cost: result.cost, max: limits.maxCost } })
  }
  return result
}

/** The Apollo plugin: refuses an over-limit operation with HTTP 400 before execution. */
export function limitsPlugin (limits: Limits): ApolloServerPlugin {
  return {
    async requestDidStart () {
      return {
        async didResolveOperation ({ schema, document, operation, request }) {
          if (operation === undefined) return
          try {
            checkOperation(schema, document, operation, request.variables, limits)
          } catch (err) {
            if (!isCairnError(err)) throw err
            throw new GraphQLError(err.message, { originalError: err, extensions: { http: { status: err.status } } })
          }
        }
      }
    }
  }
}
