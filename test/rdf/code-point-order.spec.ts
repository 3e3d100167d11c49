import { describe, expect, it } from 'vitest'
import { compareCodePoints, sortUniqueCodePoints } from '../../src/rdf/code-point-order.js'

const utf8 = (s: string): number[] => [...Buffer.from(s, 'utf8')]

function compareBytes (a: string, b: string): number {
  const x = utf8(a)
  const y = utf8(b)
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i]
  return x.length - y.length
}

describe('compareCodePoints', () => {
  it('orders U+FFFD before U+1F600, unlike UTF-16 order', () => {
    const a = '\uFFFD'
    const b = '\u{1F600}'
    expect(a < b).toBe(false) // JS compares code units: D83D < FFFD
    expect(compareCodePoints(a, b)).toBeLessThan(0)
    expect(sortUniqueCodePoints([b, a, b])).toEqual([a, b])
  })

  it('agrees with UTF-8 byte order on a mixed sample', () => {
    const sample = ['', 'a', 'ab', 'b', 'é', '\u00ff', '\u0800', '\uD7FF', '\uE000', '\uFFFF', '\u{10000}', '\u{1F600}', '\u{10FFFF}', 'a\u{1F600}', 'a\uFFFD', 'Z']
    for (const a of sample) {
      for (const b of sample) expect(Math.sign(compareCodePoints(a, b)), `${a} vs ${b}`).toBe(Math.sign(compareBytes(a, b)))
    }
  })
})
