/**
 * The committed baseline of the W3C SPARQL conformance run (test/conformance/sparql-baseline.json): pass counts per
 * suite and folder, both through Cairn's endpoint and in-process oxigraph, and every failing test with its reason.
 * Regenerate it (and docs/conformance.md) with `npx tsx test/conformance/sparql-report.ts`.
 */
import { readFileSync } from 'node:fs'
import type { Suite, TestCase } from './sparql-manifest.js'

export const BASELINE_URL = new URL('./sparql-baseline.json', import.meta.url)
export const DOCS_URL = new URL('../../docs/conformance.md', import.meta.url)

/** The reason given to every failure that only differs in literal lexical forms (see Outcome.lexicalOnly). */
export const LEXICAL = 'oxigraph\'s store keeps the value of numeric, boolean and date/time literals, not their lexical form ' +
  '(and maps derived integer types to xsd:integer), so results differ from the expected lexical forms under RDF term equality; ' +
  'equal once both sides are normalized as oxigraph\'s own test suite does'

/** The start of every reason whose root cause is value-based term identity in oxigraph's store. */
export const VALUE_BASED = 'oxigraph\'s store keeps literal values, not lexical forms, so literals with equal values become one term'

export interface Count { passed: number, total: number }

export interface SuiteCounts extends Count {
  /** Counted tests (approved, or from a manifest without approval data) per folder. */
  folders: Record<string, Count>
  /** Tests run but not counted: `dawgt:approval` other than Approved, or none in a manifest that has approvals. */
  unapproved: Count
  skipped: number
}

export interface Baseline {
  sparql11: SuiteCounts
  sparql10: SuiteCounts
  /** The same tests against a plain in-process `oxigraph.Store` (for comparison only; not enforced). */
  oxigraphInProcess: Record<Suite, SuiteCounts>
  /** Test IRI → why it fails through the endpoint. A failing test not listed here fails the spec. */
  failing: Record<string, string>
}

export function readBaseline (): Baseline {
  return JSON.parse(readFileSync(BASELINE_URL, 'utf8')) as Baseline
}

export interface Run {
  test: TestCase
  /** Undefined when skipped. */
  pass: boolean | undefined
}

export function tally (runs: Run[], suite: Suite): SuiteCounts {
  const out: SuiteCounts = { passed: 0, total: 0, folders: {}, unapproved: { passed: 0, total: 0 }, skipped: 0 }
  for (const { test, pass } of runs) {
    if (test.suite !== suite) continue
    if (pass === undefined) {
      out.skipped++
      continue
    }
    const bucket = test.counted ? out : out.unapproved
    bucket.total++
    if (pass) bucket.passed++
    if (test.counted) {
      const folder = out.folders[test.folder] ??= { passed: 0, total: 0 }
      folder.total++
      if (pass) folder.passed++
    }
  }
  return out
}
