/**
 * How tool results look on the wire: JSON in a text block (what every MCP client shows a model) and the same
 * object as `structuredContent`; errors as `isError` results whose text starts with the `CAIRN_*` code. Results are
 * bounded in bytes by keeping the longest prefix of their main list that fits, with `truncated: true`.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { CairnError } from '../errors.js'

/** A tool's answer before it is put on the wire. */
export type ToolValue = Record<string, unknown>

export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8')

/** A successful tool result: compact JSON text (models read it) plus the same object as structured content. */
export function toolResult (value: ToolValue): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value }
}

/**
 * A failed tool call: `isError` with `CAIRN_CODE: message` as text (the model sees the code and the fix) and
 * `{ error: { code, message, details } }` as structured content (programs branch on the code).
 */
export function errorResult (err: CairnError): CallToolResult {
  const error = { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) }
  return { isError: true, content: [{ type: 'text', text: `${err.code}: ${err.message}` }], structuredContent: { error } }
}

/**
 * Keep the longest prefix of `items` whose rendering fits `maxBytes` of JSON (binary search over the prefix
 * length). `render` gets the kept items and whether some were cut; when even none fit, the empty rendering is
 * returned (its fixed part is small: metadata only).
 */
export async function fitItems<T> (items: T[], maxBytes: number, render: (kept: T[], cut: boolean) => ToolValue | Promise<ToolValue>): Promise<{ value: ToolValue, kept: number }> {
  const full = await render(items, false)
  if (jsonBytes(full) <= maxBytes) return { value: full, kept: items.length }
  let lo = 0
  let hi = items.length - 1
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (jsonBytes(await render(items.slice(0, mid), true)) <= maxBytes) lo = mid
    else hi = mid - 1
  }
  return { value: await render(items.slice(0, lo), true), kept: lo }
}

/** Opaque page cursors: base64url of JSON, checked by the caller's `valid`. */
export function encodeCursor (value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url')
}

export function decodeCursor<T> (cursor: string, tool: string, valid: (v: unknown) => v is T): T {
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    value = undefined
  }
  if (!valid(value)) throw new CairnError('API_BAD_REQUEST', `${tool}: \`after\` is not a cursor from ${tool}; pass the \`next\` of its previous answer, or omit it for the first page`, { details: { parameter: 'after' } })
  return value
}
