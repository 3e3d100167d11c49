import { CairnError } from '../errors.js'
import type { Citation } from '../proof/index.js'
import { MAX_CONTRIBUTION_ROWS } from './constants.js'
import type { ContributionRow } from '../store/index.js'
import type {
  BufferedContributionLedger, ContributionLedgerComponents, ContributionLedgerInit, ContributionQuery, ContributionSummary, RetrieveContext
} from './index.js'

/**
 * The contribution ledger over the store's `contributions` table (migrations/004 and 006): one row per answer,
 * cited asset version and time, with the number of that version's citations the answer served (a page of 50 facts
 * of one asset is one row of 50, not 50 rows). Started, it writes the rows of all answers served in one turn of
 * the event loop in one transaction right after them (`setImmediate`), so the SQLite commit is not on the answer's
 * path and concurrent answers share it; `summary` and `stop` write what is pending first. Not started, it writes at
 * once.
 */
export class SqliteContributionLedger implements BufferedContributionLedger {
  private readonly components: ContributionLedgerComponents
  private readonly maxRows: number
  private readonly now: () => Date
  /** Rows not written yet, by everything but their count, so repeated citations of a version add up. */
  private pending = new Map<string, ContributionRow>()
  private scheduled: NodeJS.Immediate | undefined
  private started = false

  constructor (init: ContributionLedgerInit, components: ContributionLedgerComponents) {
    this.components = components
    this.maxRows = init.maxRows ?? MAX_CONTRIBUTION_ROWS
    this.now = init.now ?? (() => new Date())
  }

  start (): void {
    this.started = true
  }

  stop (): void {
    if (!this.started) return
    this.flush()
    this.started = false
  }

  isStarted (): boolean {
    return this.started
  }

  record (citations: Array<Pick<Citation, 'ual' | 'version' | 'publisher'>>, context: RetrieveContext): void {
    if (citations.length === 0) return
    const time = this.now().toISOString()
    for (const c of citations) {
      const key = `${context.requestHash} ${context.interface} ${time} ${c.ual} ${c.version}`
      const row = this.pending.get(key)
      if (row !== undefined) row.citations++
      else this.pending.set(key, { ual: c.ual, version: c.version, publisher: c.publisher, requestHash: context.requestHash, interface: context.interface, time, citations: 1 })
    }
    if (!this.started) this.flush()
    else this.scheduled ??= setImmediate(() => { this.flushSafely() })
  }

  flush (): void {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled)
    this.scheduled = undefined
    if (this.pending.size === 0) return
    const rows = this.pending
    this.pending = new Map()
    try {
      this.components.store.recordContributions([...rows.values()])
    } catch (err) {
      // Keep them for the next flush: a failed write (a busy or full disk) must not lose what was served. The write
      // is synchronous, so nothing was recorded meanwhile.
      this.pending = rows
      throw err
    }
  }

  private flushSafely (): void {
    try {
      this.flush()
    } catch (err) {
      this.components.logger?.error({ err, pending: this.pending.size }, 'contribution ledger: write failed; retrying with the next answer')
    }
  }

  summary (query: ContributionQuery): ContributionSummary {
    this.flush()
    const from = isoOrNull(query.from, 'from')
    const to = isoOrNull(query.to, 'to')
    if (from !== null && to !== null && from > to) {
      throw new CairnError('API_BAD_REQUEST', `contributions: from (${from}) is after to (${to}); swap them`, { details: { from, to } })
    }
    const publisher = query.publisher === undefined || query.publisher === '' ? null : query.publisher
    const counts = this.components.store.countContributions({
      limit: this.maxRows,
      ...(publisher === null ? {} : { publisher }),
      ...(from === null ? {} : { from }),
      ...(to === null ? {} : { to })
    })
    const byPublisher = new Map(counts.publishers.map((p) => [p.publisher, { ...p, assets: [] as Array<{ ual: string, citations: number }> }]))
    for (const row of counts.rows) byPublisher.get(row.publisher)?.assets.push({ ual: row.ual, citations: row.citations })
    return { publisher, from, to, publishers: [...byPublisher.values()], total: counts.total, truncated: counts.truncated }
  }
}

/** A date or date-time (ISO-8601) as a UTC ISO string; a bare date is midnight UTC, a zoneless date-time is UTC. */
function isoOrNull (value: string | undefined, name: string): string | null {
  if (value === undefined || value === '') return null
  const m = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(value)
  // A date-time without a zone is read as UTC (never as the server's local time).
  const ms = m === null ? Number.NaN : Date.parse(m[1] !== undefined && m[4] === undefined ? `${value}Z` : value)
  if (Number.isNaN(ms)) {
    throw new CairnError('API_BAD_REQUEST', `contributions: ${name} must be an ISO-8601 date or date-time (e.g. 2026-11-25 or 2026-11-25T12:00:00Z), got ${JSON.stringify(value)}`,
      { details: { parameter: name } })
  }
  return new Date(ms).toISOString()
}

/** RFC 4180 CSV of a summary: header `publisher,ual,citations`, one row per (publisher, asset). */
export function contributionsCsv (summary: ContributionSummary): string {
  const cell = (v: string | number): string => {
    const s = String(v)
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
  }
  const lines = ['publisher,ual,citations']
  for (const p of summary.publishers) for (const a of p.assets) lines.push([p.publisher, a.ual, a.citations].map(cell).join(','))
  return lines.join('\r\n') + '\r\n'
}
