import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Database } from 'better-sqlite3'
import { CairnError } from '../errors.js'

/** The numbered SQL migrations shipped with the package (`migrations/NNN-name.sql`). */
export const MIGRATIONS_DIR = new URL('../../migrations/', import.meta.url)

export interface MigrationResult { from: number, to: number, applied: string[] }

/**
 * Apply every migration newer than the highest row of `schema_version`, each in its own transaction (with its row),
 * so a crash mid-migration leaves the previous schema intact. A database newer than this code is refused.
 */
export function migrate (db: Database, dir: string = MIGRATIONS_DIR.pathname): MigrationResult {
  const files = readdirSync(dir).filter((f) => /^\d{3}-[\w-]+\.sql$/.test(f)).sort()
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)')
  const from = (db.prepare('SELECT coalesce(max(version), 0) AS v FROM schema_version').get() as { v: number }).v
  const latest = files.length === 0 ? 0 : Number.parseInt(files[files.length - 1].slice(0, 3), 10)
  if (from > latest) {
    throw new CairnError('STORE_MIGRATION', `Store.start: database schema ${from} is newer than this Cairn (${latest}); upgrade Cairn`)
  }
  const applied: string[] = []
  for (const file of files) {
    const number = Number.parseInt(file.slice(0, 3), 10)
    if (number <= from) continue
    const sql = readFileSync(join(dir, file), 'utf8')
    try {
      db.transaction(() => {
        db.exec(sql)
        db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)').run(number, file, new Date().toISOString())
      })()
    } catch (err) {
      throw new CairnError('STORE_MIGRATION', `Store.start: migration ${file} failed: ${(err as Error).message}`, { cause: err })
    }
    applied.push(file)
  }
  return { from, to: Math.max(from, latest), applied }
}
