/**
 * A light SPARQL lexer: enough to tell the query form, spot updates and SERVICE before the engine runs anything.
 * It skips comments, strings and IRIs, so keywords inside them (`"SERVICE"`, `<http://x/select>`) do not count.
 */
export type QueryForm = 'SELECT' | 'ASK' | 'CONSTRUCT' | 'DESCRIBE'

export interface QueryInfo {
  /** Undefined when no form keyword was found (the engine then reports the syntax error). */
  form: QueryForm | 'UPDATE' | undefined
  usesService: boolean
}

const FORMS = new Set(['SELECT', 'ASK', 'CONSTRUCT', 'DESCRIBE'])
/** SPARQL 1.1 Update operations (§3) — any of them first means the request is an update. */
const UPDATES = new Set(['INSERT', 'DELETE', 'LOAD', 'CLEAR', 'CREATE', 'DROP', 'COPY', 'MOVE', 'ADD', 'WITH'])

export function inspectQuery (text: string): QueryInfo {
  let form: QueryInfo['form']
  let usesService = false
  const n = text.length
  let i = 0
  while (i < n) {
    const c = text[i]
    if (c === '#') {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++
    } else if (c === '"' || c === "'") {
      i = skipString(text, i)
    } else if (c === '<' && isIriStart(text, i)) {
      i = text.indexOf('>', i) + 1
    } else if (/[A-Za-z_]/.test(c) && (i === 0 || !/[\w:?$-]/.test(text[i - 1]))) {
      let j = i
      while (j < n && /[\w-]/.test(text[j])) j++
      // A prefixed name (`ex:select`) or a variable is not a keyword.
      if (text[j] !== ':') {
        const word = text.slice(i, j).toUpperCase()
        if (form === undefined && FORMS.has(word)) form = word as QueryForm
        else if (form === undefined && UPDATES.has(word)) form = 'UPDATE'
        if (word === 'SERVICE') usesService = true
      }
      i = j
    } else {
      i++
    }
  }
  return { form, usesService }
}

/** IRIREF has no spaces, quotes or angle brackets (SPARQL grammar [139]); `?a < ?b` is a comparison. */
function isIriStart (text: string, i: number): boolean {
  const end = text.indexOf('>', i + 1)
  return end !== -1 && !/[\s<"{}|^`\\]/.test(text.slice(i + 1, end))
}

function skipString (text: string, i: number): number {
  const q = text[i]
  const long = text.startsWith(q.repeat(3), i)
  const close = long ? q.repeat(3) : q
  let j = i + close.length
  while (j < text.length) {
    if (text[j] === '\\') { j += 2; continue }
    if (text.startsWith(close, j)) return j + close.length
    if (!long && (text[j] === '\n' || text[j] === '\r')) return j
    j++
  }
  return j
}
