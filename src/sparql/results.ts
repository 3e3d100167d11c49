/**
 * Result caps. The engine serializes results itself (oxigraph's serializers, exact W3C formats); here we count the
 * rows of that output and, past a cap, cut it at a row boundary and close the document, so a capped result is
 * still a valid document of its format. Pure string work: runs inside the engine worker.
 */

export type SolutionsFormat = 'json' | 'xml' | 'csv' | 'tsv'

export interface Capped {
  body: string
  /** Rows (solutions or triples) in `body`. */
  rows: number
  truncated: boolean
}

const utf8Length = (s: string): number => {
  // Exact UTF-8 length without allocating (TextEncoder would copy the whole body).
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : (c >= 0xd800 && c < 0xdc00) ? (i++, 4) : 3
  }
  return n
}

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
  const doc = JSON.parse(body) as { head: unknown, results?: { bindings: unknown[] }, boolean?: boolean }
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
