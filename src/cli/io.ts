import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { CairnError } from '../errors.js'
import { formatFromFilename } from '../rdf/index.js'
import type { RdfFormat } from '../rdf/index.js'

/** Where `cairn keys new` writes keystores unless told otherwise: the user's, not the node's. */
export function defaultKeysDir (env: NodeJS.ProcessEnv = process.env): string {
  return env.CAIRN_KEYS_DIR ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'cairn', 'keys')
}

export interface InputFile { path: string, format: RdfFormat }

/** Files named on the command line; directories are walked (sorted, recursively) for known RDF extensions. */
export function collectInputs (paths: string[]): InputFile[] {
  const out: InputFile[] = []
  const visit = (path: string, explicit: boolean): void => {
    if (!existsSync(path)) throw new CairnError('API_BAD_REQUEST', `no such file or directory: ${path}`)
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) visit(join(path, name), false)
      return
    }
    try {
      out.push({ path, format: formatFromFilename(path) })
    } catch (err) {
      if (explicit) throw err // a file named on purpose with an unknown extension is an error; in a directory it is skipped
    }
  }
  for (const p of paths) visit(resolve(p), true)
  if (out.length === 0) throw new CairnError('API_BAD_REQUEST', `no RDF files (.jsonld .json .nq .nt .ttl .trig) in ${paths.join(', ')}`)
  return out
}

export function readText (path: string): string {
  return readFileSync(path, 'utf8')
}

/**
 * A passphrase from --passphrase-file, CAIRN_PASSPHRASE, or a prompt on a TTY (input not echoed).
 * Undefined when none is available and no TTY can ask.
 */
export async function passphrase (options: { file?: string, prompt: string, env?: NodeJS.ProcessEnv }): Promise<string | undefined> {
  const env = options.env ?? process.env
  if (options.file !== undefined) return readFileSync(options.file, 'utf8').replace(/\r?\n$/, '')
  if (env.CAIRN_PASSPHRASE !== undefined) return env.CAIRN_PASSPHRASE
  if (process.stdin.isTTY !== true) return undefined
  return await promptHidden(options.prompt)
}

async function promptHidden (prompt: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true })
  const output = rl as unknown as { _writeToOutput: (s: string) => void }
  let asked = false
  output._writeToOutput = (s: string) => {
    // Echo the prompt once, then nothing of what is typed.
    if (!asked) { process.stderr.write(s); asked = true }
  }
  try {
    return await new Promise((resolve) => rl.question(prompt, resolve))
  } finally {
    rl.close()
    process.stderr.write('\n')
  }
}

export function print (line = ''): void {
  process.stdout.write(line + '\n')
}
