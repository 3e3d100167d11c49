import { describe, expect, it } from 'vitest'

import { compareCodePoints, sortLines } from '../../src/proof/index.js'
import { isSortedUnique } from '../../src/proof/code-points.js'

const enc = new TextEncoder()
function byteOrder (a: string, b: string): number {
  const x = enc.encode(a)
  const y = enc.encode(b)
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i]
  return x.length - y.length
}

describe('code point order', () => {
  it('puts U+1F600 after U+FFFD (UTF-16 order would not)', () => {
    const astral = 'a\u{1F600}'
    const bmp = 'a\uFFFD'
    expect(astral < bmp).toBe(true) // the JavaScript default: surrogate 0xD83D < 0xFFFD
    expect(compareCodePoints(astral, bmp)).toBeGreaterThan(0)
    expect(compareCodePoints(bmp, astral)).toBeLessThan(0)
    expect(sortLines([astral, bmp])).toEqual([bmp, astral])
    expect(sortLines([astral, bmp]).map(s => [...enc.encode(s)])).toEqual([bmp, astral].map(s => [...enc.encode(s)]))
  })

  it('agrees with UTF-8 byte order on a mixed sample', () => {
    const sample = ['', 'a', 'ab', 'b', 'Z', '\u007f', '\u0080', 'é', '\u07ff', '\u0800', '\uD7FF', '\uE000', '\uFFFD', '\uFFFF',
      '\u{10000}', '\u{1F600}', '\u{1F601}', '\u{10FFFF}', 'a\u{1F600}b', 'a\uFFFDb', 'a\u{1F600}', 'a\uE000']
    for (const a of sample) {
      for (const b of sample) {
        expect(Math.sign(compareCodePoints(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(Math.sign(byteOrder(a, b)))
      }
    }
  })

  it('sortLines gives code point order on both its fast (native) and slow (comparator) paths', () => {
    const chars = ['a', 'z', 'é', '\u0800', '\uD7FF', '\u{1F600}', '\u{10000}', '\uE000', '\uFFFD']
    const sets = [chars.filter(c => c.length === 1), chars.filter(c => !/[\uE000-\uFFFF]/.test(c)), chars]
    for (const set of sets) {
      const lines = set.flatMap(x => set.map(y => `${x}${y}`))
      expect(sortLines(lines)).toEqual([...new Set(lines)].sort(byteOrder))
    }
  })

  it('sortLines deduplicates, sorts, and does not mutate its input', () => {
    const input = ['c', 'a', 'b', 'a', 'c']
    expect(sortLines(input)).toEqual(['a', 'b', 'c'])
    expect(input).toEqual(['c', 'a', 'b', 'a', 'c'])
    expect(isSortedUnique(['a', 'b'])).toBe(true)
    expect(isSortedUnique(['a', 'a'])).toBe(false)
    expect(isSortedUnique(['\u{1F600}', '\uFFFD'])).toBe(false)
  })
})
