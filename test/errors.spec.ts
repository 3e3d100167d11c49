import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CODE_PREFIX, CairnError, ERRORS, errorFromProblem, isCairnError } from '../src/errors.js'
import type { CairnErrorCode } from '../src/errors.js'

const ROOT = new URL('..', import.meta.url).pathname
const DOC = readFileSync(join(ROOT, 'docs/errors.md'), 'utf8')
const CODES = Object.keys(ERRORS) as CairnErrorCode[]

interface DocRow { anchor: string, code: string, status: number, meaning: string, fix: string }

/** Rows of the catalogue table: `| <a id="x"></a>CAIRN_X | 404 | meaning | fix |`. */
function docRows (): DocRow[] {
  const rows: DocRow[] = []
  for (const line of DOC.split('\n')) {
    const m = /^\| <a id="([a-z0-9_]+)"><\/a>(CAIRN_[A-Z0-9_]+) \| (\d{3}) \| (.+) \| (.+) \|$/.exec(line)
    if (m !== null) rows.push({ anchor: m[1], code: m[2], status: Number(m[3]), meaning: m[4], fix: m[5] })
  }
  return rows
}

function sourceFiles (dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name))
}

const AREAS = ['RDF', 'STORE', 'SPARQL', 'PROOF', 'ASSET', 'KEY', 'ANCHOR', 'NET', 'API', 'MCP', 'CONFIG']

/**
 * Every code a source file throws (`new CairnError('X'`, also `new CairnError(x ?? 'X'`), or puts in a report or a
 * worker reply to be rebuilt into a CairnError (`code: 'X'`, `key: 'X'`, `code = 'X'` with a known area).
 */
function codesUsedInSource (): Map<string, string[]> {
  const used = new Map<string, string[]>()
  const add = (code: string, file: string): void => { used.set(code, [...(used.get(code) ?? []), file.slice(ROOT.length)]) }
  const area = `(?:${AREAS.join('|')})_[A-Z0-9_]+`
  const thrown = /new CairnError\(\s*(?:[^,'()]*\?\?\s*)?'([A-Z0-9_]+)'/g
  const reported = new RegExp(`\\b(?:code|key)(?:\\s*=|:)\\s*'(${area})'`, 'g')
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    if (file.endsWith('/errors.ts')) continue
    const text = readFileSync(file, 'utf8')
    for (const m of text.matchAll(thrown)) add(m[1], file)
    for (const m of text.matchAll(reported)) add(m[1], file)
  }
  return used
}

describe('error catalogue ↔ docs/errors.md', () => {
  const rows = docRows()

  it('parses a table row for every catalogue entry (sanity of the parser)', () => {
    expect(rows.length).toBeGreaterThan(0)
    expect(new Set(rows.map((r) => r.code)).size).toBe(rows.length)
  })

  it('every ERRORS code has a row with its anchor and the same HTTP status', () => {
    const byCode = new Map(rows.map((r) => [r.code, r]))
    for (const key of CODES) {
      const row = byCode.get(`${CODE_PREFIX}${key}`)
      expect(row, `docs/errors.md has no row for ${CODE_PREFIX}${key}`).toBeDefined()
      expect(row?.anchor, key).toBe(key.toLowerCase())
      expect(row?.status, `${key}: docs say ${row?.status}, ERRORS says ${ERRORS[key].status}`).toBe(ERRORS[key].status)
      expect(row?.meaning.trim().length, `${key}: empty "what it means"`).toBeGreaterThan(20)
      expect(row?.fix.trim().length, `${key}: empty "how to fix it"`).toBeGreaterThan(20)
    }
  })

  it('every documented row names a code that exists in ERRORS', () => {
    for (const row of rows) {
      const key = row.code.slice(CODE_PREFIX.length)
      expect(Object.hasOwn(ERRORS, key), `docs/errors.md documents ${row.code}, which is not in ERRORS`).toBe(true)
    }
    expect(rows).toHaveLength(CODES.length)
  })

  it('every other CAIRN_ token in the doc is a catalogue code or an environment variable the source reads', () => {
    const sourceText = sourceFiles(join(ROOT, 'src')).filter((f) => !f.endsWith('/errors.ts')).map((f) => readFileSync(f, 'utf8')).join('\n')
    for (const [token] of DOC.matchAll(/CAIRN_[A-Z][A-Z0-9_]*/g)) {
      const known = Object.hasOwn(ERRORS, token.slice(CODE_PREFIX.length)) || new RegExp(`\\b${token}\\b`).test(sourceText)
      expect(known, `docs/errors.md mentions ${token}: neither a code nor an environment variable`).toBe(true)
    }
  })

  it('codes never thrown yet are marked reserved; thrown codes are not', () => {
    const used = codesUsedInSource()
    for (const row of rows) {
      const key = row.code.slice(CODE_PREFIX.length)
      if (!used.has(key)) expect(row.meaning, `${row.code} is not thrown anywhere in src; mark it "Reserved: …"`).toMatch(/^Reserved:/)
      else expect(row.meaning, `${row.code} is thrown in ${used.get(key)?.join(', ')}; it is not reserved`).not.toMatch(/^Reserved:/)
    }
  })

  it('every code thrown or reported in src exists in the catalogue', () => {
    const used = codesUsedInSource()
    expect(used.size).toBeGreaterThan(10)
    for (const [code, files] of used) {
      expect(Object.hasOwn(ERRORS, code), `${code} (used in ${files.join(', ')}) is not in ERRORS`).toBe(true)
    }
  })

  it('codes follow AREA_WHAT with a known area', () => {
    for (const key of CODES) {
      if (key === 'INTERNAL') continue
      expect(AREAS, key).toContain(key.split('_')[0])
      expect(key).toMatch(/^[A-Z]+(_[A-Z0-9]+)+$/)
    }
  })

  it('statuses are 4xx or 5xx', () => {
    for (const key of CODES) {
      expect(ERRORS[key].status, key).toBeGreaterThanOrEqual(400)
      expect(ERRORS[key].status, key).toBeLessThan(600)
    }
  })
})

describe('CairnError', () => {
  it('carries key, prefixed code, status, details and cause', () => {
    const cause = new Error('sqlite said no')
    const err = new CairnError('ASSET_NOT_FOUND', 'AssetService.get: no asset x', { details: { ual: 'x' }, cause })
    expect(err).toBeInstanceOf(Error)
    expect(err.name).toBe('CairnError')
    expect(err.key).toBe('ASSET_NOT_FOUND')
    expect(err.code).toBe('CAIRN_ASSET_NOT_FOUND')
    expect(err.status).toBe(404)
    expect(err.message).toBe('AssetService.get: no asset x')
    expect(err.details).toEqual({ ual: 'x' })
    expect(err.cause).toBe(cause)
    expect(isCairnError(err)).toBe(true)
    expect(isCairnError(err, 'ASSET_NOT_FOUND')).toBe(true)
    expect(isCairnError(err, 'INTERNAL')).toBe(false)
    expect(isCairnError(cause)).toBe(false)
  })

  it('has no details or cause when none are given', () => {
    const err = new CairnError('INTERNAL', 'boom')
    expect(err.details).toBeUndefined()
    expect(err.cause).toBeUndefined()
  })

  it('toProblem is an RFC 9457 body whose type points at the docs anchor', () => {
    const err = new CairnError('RDF_SYNTAX', 'parseRdf: Turtle syntax error', { details: { line: 3, column: 7 } })
    const problem = err.toProblem()
    expect(problem).toEqual({
      type: 'https://cairn.dev/errors#rdf_syntax',
      title: ERRORS.RDF_SYNTAX.title,
      status: 400,
      detail: 'parseRdf: Turtle syntax error',
      code: 'CAIRN_RDF_SYNTAX',
      details: { line: 3, column: 7 }
    })
    expect(Object.keys(new CairnError('INTERNAL', 'x').toProblem()).sort()).toEqual(['code', 'detail', 'status', 'title', 'type'])
    // The fragment is an anchor in docs/errors.md.
    for (const key of CODES) {
      const fragment = new CairnError(key, 'x').toProblem().type.split('#')[1]
      expect(DOC, key).toContain(`<a id="${fragment}"></a>`)
    }
  })

  it('errorFromProblem round-trips every code, message and details', () => {
    for (const key of CODES) {
      const original = new CairnError(key, `message for ${key}`, { details: { key, n: 1 } })
      const rebuilt = errorFromProblem(JSON.parse(JSON.stringify(original.toProblem())) as ReturnType<CairnError['toProblem']>)
      expect(rebuilt).toBeInstanceOf(CairnError)
      expect(rebuilt.key).toBe(key)
      expect(rebuilt.code).toBe(original.code)
      expect(rebuilt.status).toBe(original.status)
      expect(rebuilt.message).toBe(original.message)
      expect(rebuilt.details).toEqual(original.details)
      expect(rebuilt.toProblem()).toEqual(original.toProblem())
    }
  })

  it('errorFromProblem maps unknown or missing codes to INTERNAL, keeping the message', () => {
    const unknown = errorFromProblem({ code: 'CAIRN_NO_SUCH_CODE', detail: 'from a newer node', status: 418 })
    expect(unknown.key).toBe('INTERNAL')
    expect(unknown.status).toBe(500)
    expect(unknown.message).toBe('from a newer node')
    const bare = errorFromProblem({ title: 'Bad Gateway' })
    expect(bare.key).toBe('INTERNAL')
    expect(bare.message).toBe('Bad Gateway')
    expect(errorFromProblem({}).message).toBe('unknown error')
    // Object.prototype keys are not codes.
    expect(errorFromProblem({ code: 'CAIRN_toString' }).key).toBe('INTERNAL')
  })
})
