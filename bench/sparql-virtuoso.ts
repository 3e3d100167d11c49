/**
 * Virtuoso for bench/sparql.ts, when Debian's `virtuoso-opensource` is installed (`virtuoso-t`, `isql-vt`).
 * A throw-away instance: temporary db dir and ini, SQL and HTTP ports bound to 127.0.0.1, bulk-loaded with
 * ld_dir + rdf_loader_run (one loader per CPU), stopped and removed at the end.
 *
 * The dataset is the same full.nq the oxigraph reference loads; its graph-less lines (Cairn's default-graph copy)
 * go into <urn:cairn:default>, and queries name it with the protocol's `default-graph-uri` so that Virtuoso's
 * default graph is Cairn's (its own would be the union of every graph plus ~2,600 system triples). Virtuoso then
 * also answers nothing for `GRAPH <iri>` (though `GRAPH ?g` still ranges over every graph), so bench/sparql.ts
 * sends queries that use GRAPH without it; none of those reads the default graph.
 */
import { execFileSync, spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import type { WriteStream } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

export const DEFAULT_GRAPH = 'urn:cairn:default'

export function virtuosoInstalled (): string | undefined {
  try {
    return execFileSync('which', ['virtuoso-t'], { encoding: 'utf8' }).trim() || undefined
  } catch {
    return undefined
  }
}

export function virtuosoVersion (): string {
  try {
    const out = execFileSync('virtuoso-t', ['-?'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    return /Version\s+(\S+)/.exec(out)?.[1] ?? 'unknown'
  } catch (err) {
    const text = String((err as { stdout?: string, stderr?: string }).stderr ?? '') + String((err as { stdout?: string }).stdout ?? '')
    return /Version\s+(\S+)/.exec(text)?.[1] ?? 'unknown'
  }
}

async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo
      s.close(() => { resolve(port) })
    })
  })
}

export class Virtuoso {
  readonly dir: string
  sqlPort = 0
  httpPort = 0
  private proc: ChildProcess | undefined

  constructor (dir: string) {
    this.dir = dir
  }

  get url (): string {
    return `http://127.0.0.1:${this.httpPort}`
  }

  async start (timeoutMs = 90_000): Promise<number> {
    mkdirSync(this.dir, { recursive: true })
    this.sqlPort = await freePort()
    this.httpPort = await freePort()
    const d = this.dir
    writeFileSync(join(d, 'virtuoso.ini'), `[Database]
DatabaseFile = ${d}/virtuoso.db
ErrorLogFile = ${d}/virtuoso.log
LockFile = ${d}/virtuoso.lck
TransactionFile = ${d}/virtuoso.trx
xa_persistent_file = ${d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = ${d}/virtuoso-temp.db
TransactionFile = ${d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:${this.sqlPort}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 0
CaseMode = 2
DirsAllowed = ., ${d}
; ~1.3 GB of 8 KB pages, the vendor's setting for a 4 GB machine's worth of data
NumberOfBuffers = 170000
MaxDirtyBuffers = 130000
MaxQueryMem = 2G
[HTTPServer]
ServerPort = 127.0.0.1:${this.httpPort}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 10
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 60
Charset = UTF-8
EnabledGzipContent = 0
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
`)
    const t0 = performance.now()
    this.proc = spawn('virtuoso-t', ['+configfile', join(d, 'virtuoso.ini'), '+foreground'], { cwd: d, stdio: 'ignore' })
    const log = join(d, 'virtuoso.log')
    while (performance.now() - t0 < timeoutMs) {
      if (this.proc.exitCode !== null) throw new Error(`virtuoso-t exited (${this.proc.exitCode}); see ${log}`)
      if (existsSync(log) && /Server online at/.test(readFileSync(log, 'utf8'))) return performance.now() - t0
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    throw new Error(`virtuoso-t did not come online within ${timeoutMs} ms; see ${log}`)
  }

  sql (statements: string, timeoutMs = 300_000): string {
    return execFileSync('isql-vt', [`127.0.0.1:${this.sqlPort}`, 'dba', 'dba', `exec=${statements}`], { encoding: 'utf8', timeout: timeoutMs })
  }

  private async sqlAsync (statements: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const p = spawn('isql-vt', [`127.0.0.1:${this.sqlPort}`, 'dba', 'dba', `exec=${statements}`], { stdio: 'ignore' })
      p.once('error', reject)
      p.once('exit', (code) => { code === 0 ? resolve() : reject(new Error(`isql-vt exited with ${code}`)) })
    })
  }

  /** Split `file` into parts in the db dir and bulk-load them with one rdf_loader_run per CPU; returns ms. */
  async bulkLoad (file: string, parts = 8): Promise<{ ms: number, splitMs: number, loaders: number, retried: number, errors: string }> {
    const t0 = performance.now()
    const dataDir = join(this.dir, 'data')
    mkdirSync(dataDir, { recursive: true })
    const outs: WriteStream[] = Array.from({ length: parts }, (_, k) => createWriteStream(join(dataDir, `part-${k}.nq`)))
    let n = 0
    for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      const out = outs[Math.floor(n / 50_000) % parts]
      if (!out.write(line + '\n')) await new Promise<void>((resolve) => { out.once('drain', () => { resolve() }) })
      n++
    }
    await Promise.all(outs.map(async (o) => { await new Promise<void>((resolve) => { o.end(() => { resolve() }) }) }))
    const splitMs = performance.now() - t0
    const t1 = performance.now()
    this.sql(`ld_dir('${dataDir}', '*.nq', '${DEFAULT_GRAPH}');`)
    const loaders = Math.max(1, cpus().length)
    await Promise.all(Array.from({ length: loaders }, async () => { await this.sqlAsync('rdf_loader_run();') }))
    // Parallel loaders can hit "Transaction deadlock" on a file (both inserting the same new IRIs); Virtuoso's
    // advice is to reload those: a part that failed is rolled back whole, so reset it and load it again alone.
    let retried = 0
    for (let attempt = 0; attempt < 3 && this.failedFiles() > 0; attempt++) {
      retried += this.failedFiles()
      this.sql('update DB.DBA.load_list set ll_state = 0, ll_error = null where ll_error is not null; rdf_loader_run();')
    }
    this.sql('checkpoint;')
    const ms = performance.now() - t1
    const errors = this.failedFiles() === 0 ? '' : this.sql('select ll_file, ll_error from DB.DBA.load_list where ll_error is not null;')
    return { ms, splitMs, loaders, retried, errors }
  }

  private failedFiles (): number {
    const out = this.sql("select 'FAILED=' || cast(count(*) as varchar) from DB.DBA.load_list where ll_error is not null;")
    return Number(/FAILED=(\d+)/.exec(out)?.[1] ?? 0)
  }

  /** Count of quads in the store via SQL (Virtuoso's RDF_QUAD table, system graphs included). */
  quadCount (): number {
    const out = this.sql("select 'QUADS=' || cast(count(*) as varchar) from DB.DBA.RDF_QUAD;")
    return Number(/QUADS=(\d+)/.exec(out)?.[1] ?? 0)
  }

  /** RSS of the server process, MiB. */
  rssMiB (): number {
    const pid = this.proc?.pid
    if (pid === undefined) return 0
    return rssOf(pid).rss
  }

  async stop (): Promise<void> {
    const p = this.proc
    if (p === undefined || p.exitCode !== null) return
    const exited = new Promise((resolve) => p.once('exit', resolve))
    try {
      this.sql('shutdown;', 30_000)
    } catch {
      p.kill('SIGTERM')
    }
    const timer = setTimeout(() => { p.kill('SIGKILL') }, 30_000)
    await exited
    clearTimeout(timer)
  }
}

/** VmRSS and VmHWM (peak) of a process, MiB. */
export function rssOf (pid: number): { rss: number, hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0)
  return { rss: Math.round(kb('VmRSS') / 1024), hwm: Math.round(kb('VmHWM') / 1024) }
}
