/**
 * Shape checks shared by claims, ledger entries, citations and bundles. Every failure is PROOF_MALFORMED with
 * the offending field, so a REST client learns what to fix. Internal: not re-exported from index.ts.
 */
import { CairnError, type CairnErrorCode } from '../errors.js'
import { isHex } from './hex.js'

export type Check = { ok: true } | { ok: false; code: CairnErrorCode; reason: string }

export function malformed (where: string, field: string, expected: string): never {
  throw new CairnError('PROOF_MALFORMED', `${where}: ${field} must be ${expected}`, { details: { field } })
}

/** A Check built from any thrown error: CairnErrors keep their code, anything else is malformed input. */
export function checkFromError (err: unknown): Check & { ok: false } {
  if (err instanceof CairnError) return { ok: false, code: err.key, reason: err.message }
  return { ok: false, code: 'PROOF_MALFORMED', reason: err instanceof Error ? err.message : String(err) }
}

export function isRecord (v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

// ISO-8601 UTC as produced by Date#toISOString (fraction optional). The string itself is what gets signed.
const ISO_UTC = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d{1,9})?Z$/

export function isIsoUtc (v: unknown): v is string {
  if (typeof v !== 'string') return false
  const m = ISO_UTC.exec(v)
  if (m === null) return false
  // Round-trip the seconds part so calendar nonsense (2024-02-30, 25:00) is refused rather than normalised.
  const d = new Date(`${m[1]}Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 19) === m[1]
}

/**
 * A non-empty string without whitespace or control characters: UALs, SS58 addresses. Fields are joined with
 * '\n' in signed messages, so refusing line breaks keeps the encoding unambiguous.
 */
export function isToken (v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && !/[\s\u0000-\u001f\u007f]/u.test(v)
}

export function isPositiveInt (v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1
}

export function isNonNegativeInt (v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
}

export const isHash = (v: unknown): v is string => isHex(v, 32)

/** A 0x hex signature of 64 bytes (sr25519 / ed25519); other lengths are refused, not tried as ECDSA. */
export const isSignatureHex = (v: unknown): v is string => isHex(v, 64)
