/**
 * Unicode code point order for strings (RDFC-1.0 §4.4 sorts canonical N-Quads "in Unicode code point order").
 * JS `<` and `Array.prototype.sort` compare UTF-16 code units, which puts U+E000–U+FFFF *after* supplementary
 * characters (surrogates D800–DFFF); code point order (= UTF-8 byte order) puts them before, as a verifier in Rust,
 * Go or SQL sorting bytes would. Browser-safe: src/proof uses it for the merkle leaf order.
 */

/** Compare two strings by Unicode code points; negative, zero or positive like `localeCompare`. */
export function compareCodePoints (a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i)
    let y = b.charCodeAt(i)
    if (x === y) continue
    // ICU's code-point-order fix-up: lift surrogates above the BMP private-use/specials block.
    if (x >= 0xd800) x += x >= 0xe000 ? -0x800 : 0x2000
    if (y >= 0xd800) y += y >= 0xe000 ? -0x800 : 0x2000
    return x - y
  }
  return a.length - b.length
}

const SURROGATE = /[\uD800-\uDFFF]/
const HIGH_BMP = /[\uE000-\uFFFF]/

/** Sorted copy without duplicates, in code point order (the order of merkle leaves). */
export function sortUniqueCodePoints (lines: Iterable<string>): string[] {
  const unique = [...new Set(lines)]
  // UTF-16 order differs from code point order only between a surrogate and U+E000–U+FFFF; when the input lacks
  // either, the engine's native comparison (about 2× faster) gives the same order.
  if (unique.some((l) => SURROGATE.test(l)) && unique.some((l) => HIGH_BMP.test(l))) return unique.sort(compareCodePoints)
  return unique.sort()
}
