import { describe, expect, it } from 'vitest'
import { jsonErrorOffset, jsonErrorPosition, lineColumnAt } from '../../src/rdf/json-position.js'

describe('jsonErrorOffset', () => {
  it('is -1 for valid JSON of every kind', () => {
    for (const text of ['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"]} ', '"s"', '0', '{"a":{"b":[]}}']) {
      expect(jsonErrorOffset(text), text).toBe(-1)
      expect(() => JSON.parse(text)).not.toThrow()
    }
  })

  it('points at the first bad character', () => {
    expect(jsonErrorOffset('{"a": }')).toBe(6)
    expect(jsonErrorOffset('[1,]')).toBe(3)
    expect(jsonErrorOffset('{"a" 1}')).toBe(5)
    expect(jsonErrorOffset('{} x')).toBe(3)
    expect(jsonErrorOffset('{"a": 01}')).toBe(7)
    expect(jsonErrorOffset('["\\x"]')).toBe(3)
    expect(jsonErrorOffset('{\'a\': 1}')).toBe(1)
  })

  it('points past the end when the text stops early', () => {
    expect(jsonErrorOffset('{"a": 1')).toBe(7)
    expect(jsonErrorOffset('')).toBe(0)
    expect(jsonErrorOffset('"abc')).toBe(4)
  })
})

describe('jsonErrorPosition', () => {
  it('gives 1-based line and column', () => {
    expect(jsonErrorPosition('{\n  "a": 1,\n  "b": x\n}')).toEqual({ line: 3, column: 8 })
    expect(jsonErrorPosition('{"ok": true}')).toBeUndefined()
    expect(lineColumnAt('ab\ncd', 4)).toEqual({ line: 2, column: 2 })
  })

  it('gives up quietly on absurd nesting', () => {
    const deep = '['.repeat(200_000)
    expect(() => jsonErrorPosition(deep)).not.toThrow()
  })
})
