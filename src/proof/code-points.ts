/**
 * Unicode code point order of two strings, which equals the byte order of their UTF-8 encodings. JavaScript's
 * `<` compares UTF-16 code units instead, which puts astral characters (surrogate pairs, D800–DFFF) before
 * U+E000–U+FFFF; a verifier in Rust, Go or SQL sorting bytes would get a different leaf order.
 */
export function compareCodePoints (a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i)
    let y = b.charCodeAt(i)
    if (x === y) continue
    // Only the first differing unit matters; earlier units were equal, so a pair's high halves already matched.
    // Move surrogates above U+E000–U+FFFF: exactly the correction from UTF-16 to code point order.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000
    }
    return x - y
  }
  return a.length - b.length
}

const SURROGATE = /[\uD800-\uDFFF]/
const HIGH_BMP = /[\uE000-\uFFFF]/

/** Deduplicate and sort in code point order: the order of merkle leaves. Returns a new array. */
export function sortLines (lines: string[]): string[] {
  const unique = [...new Set(lines)]
  // UTF-16 order differs from code point order only between a surrogate and U+E000–U+FFFF; when the input lacks
  // either, the engine's native comparison (about 2× faster) gives the same order.
  if (unique.some(l => SURROGATE.test(l)) && unique.some(l => HIGH_BMP.test(l))) return unique.sort(compareCodePoints)
  return unique.sort()
}

/** True when `lines` is strictly increasing in code point order (hence sorted and free of duplicates). */
export function isSortedUnique (lines: readonly string[]): boolean {
  for (let i = 1; i < lines.length; i++) {
    if (compareCodePoints(lines[i - 1], lines[i]) >= 0) return false
  }
  return true
}
