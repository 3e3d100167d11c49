/**
 * Result caps. The engine serializes results itself (oxigraph's serializers, exact W3C formats); here we count the
 * rows of that output and, past a cap, cut it at a row boundary and close the document, so a capped result is
 * still a valid document of its format. String work only, inside the engine worker: nothing here parses a result
 * that fits its caps.
 */

export type SolutionsFormat = 'json' | 'xml' | 'csv' | 'tsv'

export interface Capped {
  body: string
  /** Rows (solutions or triples) in `body`. */
  rows: number
  truncated: boolean
}

/** Exact UTF-8 length, natively (a JS loop over a 1 MB result cost ~1 ms; TextEncoder would copy the body). */
const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8')

/** Cut a document made of header + rows + footer given the row start offsets and where the rows end. */
function cut (body: string, starts: number[], rowsEnd: number, footer: string, maxRows: number, maxBytes: number): Capped {
  const rows = starts.length
  if (rows <= maxRows && body.length <= maxBytes && utf8Length(body) <= maxBytes) return { body, rows, truncated: false }
  let keep = Math.min(rows, maxRows)
  const head = body.slice(0, starts[0] ?? rowsEnd)
  const budget = maxBytes - utf8Length(head) - utf8Length(footer)
  // Shrink until the kept rows fit the byte budget (binary search on the cut point).
  let lo = 0
  let hi = keep
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    const end = mid < rows ? starts[mid] : rowsEnd
    if (utf8Length(body.slice(starts[0] ?? rowsEnd, end)) <= budget) lo = mid
    else hi = mid - 1
  }
  keep = lo
  const end = keep < rows ? starts[keep] : rowsEnd
  return { body: head + body.slice(starts[0] ?? rowsEnd, end) + footer, rows: keep, truncated: true }
}

export function capSolutions (body: string, format: SolutionsFormat, maxRows: number, maxBytes: number): Capped {
  switch (format) {
    case 'json': return capJson(body, maxRows, maxBytes)
    case 'xml': {
      const starts = allIndexes(body, '<result>')
      const rowsEnd = body.lastIndexOf('</results>')
      return rowsEnd === -1 ? { body, rows: 0, truncated: false } : cut(body, starts, rowsEnd, body.slice(rowsEnd), maxRows, maxBytes)
    }
    case 'tsv': {
      // TSV escapes newlines inside literals (N-Triples term syntax), so every '\n' ends a row.
      const starts = allIndexes(body, '\n').map((i) => i + 1).filter((i) => i < body.length)
      return cut(body, starts, body.length, '', maxRows, maxBytes)
    }
    case 'csv': {
      const starts = csvRowStarts(body).slice(1)
      return cut(body, starts, body.length, '', maxRows, maxBytes)
    }
  }
}

function capJson (body: string, maxRows: number, maxBytes: number): Capped {
  const rows = jsonRows(body)
  if (rows === undefined) return /"boolean"\s*:/.test(body) ? { body, rows: 0, truncated: false } : capParsedJson(body, maxRows, maxBytes)
  const { starts, ends, close } = rows
  const count = starts.length
  if (count <= maxRows && utf8Length(body) <= maxBytes) return { body, rows: count, truncated: false }
  // Keep the engine's own text: the head, the first rows as written, then the original closing brackets.
  const head = body.slice(0, starts[0] ?? close)
  const footer = body.slice(close)
  const budget = maxBytes - utf8Length(head) - utf8Length(footer)
  const rowsText = (keep: number): string => keep === 0 ? '' : body.slice(starts[0], ends[keep - 1])
  let lo = 0
  let hi = Math.min(count, maxRows)
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (utf8Length(rowsText(mid)) <= budget) lo = mid
    else hi = mid - 1
  }
  return { body: head + rowsText(lo) + footer, rows: lo, truncated: true }
}

/** The slow, general path: for a JSON document the scanner does not recognize (never seen from oxigraph). */
function capParsedJson (body: string, maxRows: number, maxBytes: number): Capped {
  const doc = JSON.parse(body) as { head: unknown, results?: { bindings: unknown[] } }
  if (doc.results === undefined) return { body, rows: 0, truncated: false }
  const all = doc.results.bindings
  if (all.length <= maxRows && utf8Length(body) <= maxBytes) return { body, rows: all.length, truncated: false }
  let keep = Math.min(all.length, maxRows)
  let text = JSON.stringify({ head: doc.head, results: { bindings: all.slice(0, keep) } })
  while (keep > 0 && utf8Length(text) > maxBytes) {
    keep = Math.floor(keep * maxBytes / utf8Length(text) * 0.95)
    text = JSON.stringify({ head: doc.head, results: { bindings: all.slice(0, keep) } })
  }
  return { body: text, rows: keep, truncated: true }
}

/**
 * Where each solution of a SPARQL Results JSON document starts and ends, and where the `bindings` array closes —
 * found by scanning, not by JSON.parse: parsing a large result only to count its rows cost more than the rest of
 * the worker's work on it. Strings are skipped with indexOf; only structural characters are looked at.
 * Undefined when the document has no `bindings` array (a boolean result) or is not well formed.
 */
export function jsonRows (body: string): { starts: number[], ends: number[], close: number } | undefined {
  // `"bindings":` cannot occur in the head: a variable named bindings is followed by `"` and `,` or `]`.
  const key = body.indexOf('"bindings":')
  if (key === -1) return undefined
  let i = key + '"bindings":'.length
  while (i < body.length && body.charCodeAt(i) !== 0x5b /* [ */) {
    if (!/\s/.test(body[i])) return undefined
    i++
  }
  i++
  const starts: number[] = []
  const ends: number[] = []
  let depth = 0
  const n = body.length
  while (i < n) {
    const c = body.charCodeAt(i)
    if (c === 0x22 /* " */) {
      let j = i + 1
      for (;;) {
        j = body.indexOf('"', j)
        if (j === -1) return undefined
        let backslashes = 0
        while (body.charCodeAt(j - 1 - backslashes) === 0x5c /* \\ */) backslashes++
        if (backslashes % 2 === 0) break
        j++
      }
      i = j + 1
      continue
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (depth === 0 && c === 0x7b) starts.push(i)
      depth++
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      if (depth === 0) return c === 0x5d && starts.length === ends.length ? { starts, ends, close: i } : undefined
      depth--
      if (depth === 0) ends.push(i + 1)
    }
    i++
  }
  return undefined
}

/** N-Triples: one triple per line. */
export function capLines (body: string, maxRows: number, maxBytes: number): Capped {
  const starts = [0, ...allIndexes(body, '\n').map((i) => i + 1)].filter((i) => i < body.length)
  return cut(body, starts, body.length, '', maxRows, maxBytes)
}

function allIndexes (s: string, needle: string): number[] {
  const out: number[] = []
  for (let i = s.indexOf(needle); i !== -1; i = s.indexOf(needle, i + needle.length)) out.push(i)
  return out
}

/** Row starts of RFC 4180 CSV (quoted fields may hold line breaks). */
function csvRowStarts (s: string): number[] {
  const starts = [0]
  let quoted = false
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (c === '"') quoted = !quoted
    else if (!quoted && c === '\n' && i + 1 < s.length) starts.push(i + 1)
  }
  return starts
}
