import { Router } from 'express'
import type { Request } from 'express'
import { CairnError } from '../../errors.js'
import { contributionsCsv } from '../../rag/index.js'
import type { ContributionLedger } from '../../rag/index.js'

export interface ContributionsRouterComponents {
  contributions: ContributionLedger
}

/**
 * GET /contributions?publisher=&from=&to=&format=json|csv: citations served per publisher and asset in a time window
 * (docs/retrieval.md#contributions). JSON by default or by Accept; CSV with a header row for `format=csv` or
 * `Accept: text/csv`.
 */
export function createContributionsRouter ({ contributions }: ContributionsRouterComponents): Router {
  const router = Router()
  router.get('/contributions', (req, res) => {
    const format = formatOf(req)
    const summary = contributions.summary({ ...param(req, 'publisher'), ...param(req, 'from'), ...param(req, 'to') })
    res.set('Cairn-Truncated', String(summary.truncated))
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8').set('Content-Disposition', 'attachment; filename="contributions.csv"').send(contributionsCsv(summary))
      return
    }
    res.json(summary)
  })
  return router
}

function param<K extends 'publisher' | 'from' | 'to'> (req: Request, name: K): Partial<Record<K, string>> {
  const v = req.query[name]
  if (v === undefined || v === '') return {}
  if (typeof v !== 'string') throw new CairnError('API_BAD_REQUEST', `contributions: give ${name} once`, { details: { parameter: name } })
  return { [name]: v } as Record<K, string>
}

function formatOf (req: Request): 'json' | 'csv' {
  const explicit = req.query.format
  if (explicit !== undefined) {
    if (explicit === 'json' || explicit === 'csv') return explicit
    throw new CairnError('API_BAD_REQUEST', `contributions: format is json or csv, got ${JSON.stringify(explicit)}`, { details: { parameter: 'format' } })
  }
  const match = req.accepts(['application/json', 'text/csv'])
  if (match === false) throw new CairnError('API_NOT_ACCEPTABLE', `contributions: cannot answer ${req.headers.accept ?? ''}; use application/json or text/csv`)
  return match === 'text/csv' ? 'csv' : 'json'
}
