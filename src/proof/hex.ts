import { CairnError } from '../errors.js'

// The two hex digit character codes of every byte: toHex is on the hot path of every citation and bundle.
const HEX_CODES: number[] = Array.from({ length: 512 }, (_, i) => '0123456789abcdef'.charCodeAt(i % 2 === 0 ? (i >> 1) >> 4 : (i >> 1) & 15))
/** Bytes per String.fromCharCode call (its arguments are bounded by the engine's stack). */
const HEX_CHUNK = 4096

/**
 * `0x`-prefixed lowercase hex of `b`. Made from character codes in one call, so the string is flat: appending two
 * digits per byte builds a rope, which every later regex test, comparison or JSON.stringify must first copy out —
 * that copy cost more than the rest of building a citation. (Beyond HEX_CHUNK bytes the chunks are joined.)
 */
export function toHex (b: Uint8Array): string {
  let out = ''
  for (let start = 0; start === 0 || start < b.length; start += HEX_CHUNK) {
    const end = Math.min(b.length, start + HEX_CHUNK)
    const head = start === 0 ? 2 : 0
    const codes = new Array<number>(head + 2 * (end - start))
    if (head === 2) {
      codes[0] = 48 // 0
      codes[1] = 120 // x
    }
    for (let i = start, j = head; i < end; i++, j += 2) {
      codes[j] = HEX_CODES[2 * b[i]]
      codes[j + 1] = HEX_CODES[2 * b[i] + 1]
    }
    out += String.fromCharCode.apply(null, codes)
  }
  return out
}

function nibble (code: number): number {
  if (code >= 48 && code <= 57) return code - 48 // 0-9
  if (code >= 97 && code <= 102) return code - 87 // a-f
  return -1 // uppercase is refused on purpose: one spelling per value, so string equality is byte equality
}

/** Bytes of a `0x`-prefixed lowercase hex string of even length; throws PROOF_MALFORMED otherwise. */
export function fromHex (h: string): Uint8Array {
  if (typeof h !== 'string' || !h.startsWith('0x') || h.length % 2 !== 0) {
    throw new CairnError('PROOF_MALFORMED', 'fromHex: expected 0x-prefixed lowercase hex of even length', { details: { value: preview(h) } })
  }
  const out = new Uint8Array((h.length - 2) / 2)
  for (let i = 0, j = 2; i < out.length; i++, j += 2) {
    const hi = nibble(h.charCodeAt(j))
    const lo = nibble(h.charCodeAt(j + 1))
    if (hi < 0 || lo < 0) {
      throw new CairnError('PROOF_MALFORMED', 'fromHex: expected 0x-prefixed lowercase hex of even length', { details: { value: preview(h) } })
    }
    out[i] = (hi << 4) | lo
  }
  return out
}

const ANY_HEX = /^0x(?:[0-9a-f]{2})*$/
/** One compiled pattern per length: building a RegExp on every call was a third of the cost of a citation. */
const HEX_OF_LENGTH = new Map<number, RegExp>()

/** True when `h` is `0x`-prefixed lowercase hex of exactly `bytes` bytes (any even length when omitted). */
export function isHex (h: unknown, bytes?: number): h is string {
  if (typeof h !== 'string') return false
  if (bytes === undefined) return ANY_HEX.test(h)
  let re = HEX_OF_LENGTH.get(bytes)
  if (re === undefined) {
    re = new RegExp(`^0x[0-9a-f]{${bytes * 2}}$`)
    HEX_OF_LENGTH.set(bytes, re)
  }
  return re.test(h)
}

/** Lexicographic byte order (unsigned), shorter-is-smaller on a common prefix. */
export function compareBytes (a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] - b[i]
  }
  return a.length - b.length
}

export function bytesEqual (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return false
  }
  return true
}

function preview (v: unknown): string {
  const s = typeof v === 'string' ? v : typeof v
  return s.length > 80 ? `${s.slice(0, 77)}...` : s
}
