/**
 * Question and literal text for keyword retrieval: tokens, stop words, a light English stemmer, and the two
 * overlap measures the scoring uses (docs/retrieval.md#3-scoring). Deterministic and dependency-free.
 */

/** Common English function words and question words: they carry no entity or relation. */
export const STOP_WORDS: ReadonlySet<string> = new Set(`a about above after again against all am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for from further had has have
having he her here hers herself him himself his how i if in into is it its itself just let me more most my myself no nor
not of off on once only or other our ours ourselves out over own same she should so some such than that the their
theirs them themselves then there these they this those through to too under until up very was we were what when where
which while who whom whose why will with would you your yours yourself yourselves tell show give list find know name
names please many much whats`.split(/\s+/))

/**
 * Word tokens (Unicode letters and digits) lowercased with diacritics removed — as the FTS5 index tokenizes literals
 * (unicode61, remove_diacritics 2) — in order, duplicates kept.
 */
export function tokens (text: string): string[] {
  // ASCII fast path: most literals and every IRI local name.
  if (ASCII.test(text)) return text.toLowerCase().split(/[^a-z0-9]+/).filter((t) => t !== '')
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((t) => t !== '')
}

const ASCII = /^[\x00-\x7f]*$/

/**
 * Strip a few English suffixes so "founded", "founder" and "founding" meet at "found". Short words are left alone;
 * it only has to make question words and predicate/literal words comparable, not be linguistically right.
 */
export function stem (word: string): string {
  if (word.length <= 4 || /^\p{N}+$/u.test(word)) return word
  for (const suffix of ['ations', 'ation', 'ings', 'ing', 'ers', 'er', 'ies', 'ied', 'ed', 'es', 's']) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) {
      const base = word.slice(0, -suffix.length)
      return suffix === 'ies' || suffix === 'ied' ? base + 'y' : base
    }
  }
  return word
}

/** The salient terms of a question: tokens minus stop words and one-letter words, unique, in order, at most `max`. */
export function questionTerms (question: string, max: number): string[] {
  const out: string[] = []
  for (const t of tokens(question)) {
    if (STOP_WORDS.has(t) || (t.length < 2 && !/\p{N}/u.test(t)) || out.includes(t)) continue
    out.push(t)
    if (out.length === max) break
  }
  return out
}

/** Stemmed token set of a text (camelCase and snake_case split first, for predicate local names). */
export function stemSet (text: string): Set<string> {
  const spaced = ASCII.test(text) ? text.replace(/([a-z0-9])([A-Z])/g, '$1 $2') : text.replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
  return new Set(tokens(spaced).filter((t) => !STOP_WORDS.has(t)).map(stem))
}

/** Dice coefficient 2|A∩B| / (|A|+|B|): 1 when the sets are equal, 0 when disjoint or both empty. */
export function dice (a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0
  let common = 0
  for (const x of a) if (b.has(x)) common++
  return (2 * common) / (a.size + b.size)
}

/** The readable tail of an IRI: after the last `#`, `/` or `:` (the IRI itself when that is empty). */
export function localName (iri: string): string {
  let end = iri.length
  while (end > 0 && (iri[end - 1] === '/' || iri[end - 1] === '#')) end--
  const start = Math.max(iri.lastIndexOf('#', end - 1), iri.lastIndexOf('/', end - 1), iri.lastIndexOf(':', end - 1)) + 1
  const tail = iri.slice(start, end)
  if (tail === '') return iri
  return tail.includes('%') ? decodeURIComponentSafe(tail) : tail
}

function decodeURIComponentSafe (s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}
