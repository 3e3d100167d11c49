import { CairnError } from '../errors.js'

// One string per byte: toHex is on the hot path of every citation and bundle, a table beats toString(16)+padStart.
const BYTE_TO_HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** `0x`-prefixed lowercase hex of `b`. */
export function toHex (b: Uint8Array): string {
  let out = '0x'
  for (let i = 0; i < b.length; i++) out += BYTE_TO_HEX[b[i]]
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
