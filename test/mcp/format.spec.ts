import { describe, expect, it } from 'vitest'
import { CairnError } from '../../src/errors.js'
import { decodeCursor, encodeCursor, errorResult, fitItems, jsonBytes, toolResult } from '../../src/mcp/format.js'
import { expectCode } from '../helpers/errors.js'

describe('MCP result format', () => {
  it('a result carries the same JSON as text and as structured content', () => {
    const value = { a: 1, b: ['x', 'é'] }
    const r = toolResult(value)
    expect(r.isError).toBeUndefined()
    expect(r.structuredContent).toBe(value)
    expect(JSON.parse((r.content[0] as { text: string }).text)).toEqual(value)
  })

  it('an error is isError with `CODE: message` text and the code and details in structured content', () => {
    const r = errorResult(new CairnError('ASSET_NOT_FOUND', 'no asset x', { details: { ual: 'x' } }))
    expect(r.isError).toBe(true)
    expect((r.content[0] as { text: string }).text).toBe('CAIRN_ASSET_NOT_FOUND: no asset x')
    expect(r.structuredContent).toEqual({ error: { code: 'CAIRN_ASSET_NOT_FOUND', message: 'no asset x', details: { ual: 'x' } } })
    expect(errorResult(new CairnError('INTERNAL', 'boom')).structuredContent).toEqual({ error: { code: 'CAIRN_INTERNAL', message: 'boom' } })
  })

  it('fitItems keeps everything when it fits, else the longest prefix that fits, flagged', async () => {
    const items = Array.from({ length: 100 }, (_, i) => `item-${i}-${'x'.repeat(20)}`)
    const render = (kept: string[], cut: boolean): Record<string, unknown> => ({ items: kept, truncated: cut })
    const all = await fitItems(items, 1e6, render)
    expect(all).toEqual({ value: { items, truncated: false }, kept: 100 })
    const some = await fitItems(items, 1000, render)
    expect(some.kept).toBeGreaterThan(0)
    expect(some.kept).toBeLessThan(100)
    expect(jsonBytes(some.value)).toBeLessThanOrEqual(1000)
    // One more item would not fit: the prefix is the longest.
    expect(jsonBytes(render(items.slice(0, some.kept + 1), true))).toBeGreaterThan(1000)
    expect(some.value).toEqual({ items: items.slice(0, some.kept), truncated: true })
    expect((await fitItems(items, 10, render)).kept).toBe(0)
  })

  it('fitItems counts UTF-8 bytes, not UTF-16 code units', async () => {
    const items = Array.from({ length: 10 }, () => '€'.repeat(10)) // 30 bytes each in UTF-8, 10 code units
    const { kept } = await fitItems(items, 100, (k) => ({ k }))
    expect(jsonBytes({ k: items.slice(0, kept) })).toBeLessThanOrEqual(100)
    expect(kept).toBeLessThanOrEqual(3)
  })

  it('cursors round-trip, and a foreign cursor is CAIRN_API_BAD_REQUEST naming the tool', () => {
    const isPair = (v: unknown): v is { a: number } => typeof v === 'object' && v !== null && typeof (v as { a: unknown }).a === 'number'
    expect(decodeCursor(encodeCursor({ a: 5 }), 'tool_x', isPair)).toEqual({ a: 5 })
    for (const bad of ['garbage', encodeCursor({ b: 1 }), encodeCursor(null), '']) {
      expect(expectCode(() => decodeCursor(bad, 'tool_x', isPair), 'API_BAD_REQUEST').message).toContain('tool_x')
    }
  })
})
