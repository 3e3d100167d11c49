/**
 * Where a JSON text goes wrong. `JSON.parse` reports a position only for some errors (V8 in Node 20 says
 * "Unexpected token 'x', ... is not valid JSON" with none), so on failure we re-scan the text with a small
 * RFC 8259 validator to find the first offending character.
 */

class Stop {
  constructor (readonly at: number) {}
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y
const HEX4 = /^[0-9A-Fa-f]{4}$/

/** Offset of the first syntax error (text.length when the text ends early), or -1 when the text is valid JSON. */
export function jsonErrorOffset (text: string): number {
  let i = 0
  const fail = (): never => { throw new Stop(i) }
  const ws = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i)
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break
      i++
    }
  }
  const string = (): void => {
    i++ // opening quote
    for (;;) {
      if (i >= text.length) fail()
      const c = text[i]
      if (c === '"') { i++; return }
      if (c.charCodeAt(0) < 0x20) fail()
      if (c === '\\') {
        const e = text[i + 1]
        if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2
        else if (e === 'u' && HEX4.test(text.slice(i + 2, i + 6))) i += 6
        else { i++; fail() }
      } else {
        i++
      }
    }
  }
  const value = (): void => {
    ws()
    const c = text[i]
    if (c === '{') {
      i++
      ws()
      if (text[i] === '}') { i++; return }
      for (;;) {
        ws()
        if (text[i] !== '"') fail()
        string()
        ws()
        if (text[i] !== ':') fail()
        i++
        value()
        ws()
        if (text[i] === ',') { i++; continue }
        if (text[i] === '}') { i++; return }
        fail()
      }
    }
    if (c === '[') {
      i++
      ws()
      if (text[i] === ']') { i++; return }
      for (;;) {
        value()
        ws()
        if (text[i] === ',') { i++; continue }
        if (text[i] === ']') { i++; return }
        fail()
      }
    }
    if (c === '"') return string()
    NUMBER.lastIndex = i
    if (NUMBER.test(text)) { i = NUMBER.lastIndex; return }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) { i += word.length; return }
    }
    fail()
  }
  try {
    value()
    ws()
    if (i < text.length) fail()
    return -1
  } catch (err) {
    if (err instanceof Stop) return err.at
    throw err
  }
}

/** 1-based line and column of an offset. */
export function lineColumnAt (text: string, offset: number): { line: number, column: number } {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) { line++; lineStart = i + 1 }
  }
  return { line, column: offset - lineStart + 1 }
}

/** Line and column of the first JSON syntax error, or undefined when none is found (or nesting is too deep). */
export function jsonErrorPosition (text: string): { line: number, column: number } | undefined {
  let offset: number
  try {
    offset = jsonErrorOffset(text)
  } catch {
    return undefined // RangeError on absurd nesting: the message alone must do
  }
  return offset < 0 ? undefined : lineColumnAt(text, offset)
}
