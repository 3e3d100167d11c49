/**
 * Unicode code point order for strings (RDFC-1.0 §4.4 sorts canonical N-Quads "in Unicode code point order").
 * JS `<` and `Array.prototype.sort` compare UTF-16 code units, which puts U+E000–U+FFFF *after* supplementary
 * characters (surrogates D800–DFFF); code point order (= UTF-8 byte order) puts them before. Browser-safe.
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

/** Sorted copy without duplicates, in code point order. */
export function sortUniqueCodePoints (lines: Iterable<string>): string[] {
  return [...new Set(lines)].sort(compareCodePoints)
}
