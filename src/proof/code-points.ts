import { compareCodePoints, sortUniqueCodePoints } from '../rdf/code-point-order.js'

export { compareCodePoints }

/** Deduplicate and sort in code point order: the order of merkle leaves. Returns a new array. */
export function sortLines (lines: string[]): string[] {
  return sortUniqueCodePoints(lines)
}

/** True when `lines` is strictly increasing in code point order (hence sorted and free of duplicates). */
export function isSortedUnique (lines: readonly string[]): boolean {
  for (let i = 1; i < lines.length; i++) {
    if (compareCodePoints(lines[i - 1], lines[i]) >= 0) return false
  }
  return true
}
