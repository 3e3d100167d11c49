import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CONFIG_FILE, ConfigSchema, configFromEnv, loadConfig } from '../src/config.js'
import { CairnError } from '../src/errors.js'
import { tempDir } from './helpers/node.js'

function loadError (...args: Parameters<typeof loadConfig>): CairnError {
  let thrown: unknown
  try {
    loadConfig(...args)
  } catch (err) {
    thrown = err
  }
  expect(thrown).toBeInstanceOf(CairnError)
  expect((thrown as CairnError).key).toBe('CONFIG_INVALID')
  return thrown as CairnError
}

describe('loadConfig', () => {
  let dataDir: string
  const writeConfigFile = (content: unknown): void => {
    writeFileSync(join(dataDir, CONFIG_FILE), typeof content === 'string' ? content : JSON.stringify(content))
  }

  beforeEach(() => { dataDir = tempDir('cairn-config-') })
  afterEach(() => { rmSync(dataDir, { recursive: true, force: true }) })

  it('gives the documented defaults with no file, no environment and no flags', () => {
    expect(loadConfig({ dataDir }, {})).toMatchObject({
      dataDir,
      network: 'local',
      host: '127.0.0.1',
      port: 8900,
      logLevel: 'info',
      bodyLimit: 10 * 1024 * 1024,
      maxTriples: 100_000,
      publisherAllowList: [],
      timestampSkewSeconds: 600,
      allowRemoteContexts: false,
      nodeKeyType: 'ed25519',
      sparqlTimeoutMs: 10_000,
      sparqlMaxRows: 10_000,
      sparqlMaxBytes: 16 * 1024 * 1024,
      sparqlReplicas: 2,
      p2p: true,
      p2pListen: ['/ip4/127.0.0.1/tcp/0'],
      bootstrap: [],
      replicationFactor: 3,
      syncIntervalMs: 30_000
    })
    // Every default of the schema is documented in docs/operations.md (one row per key).
    const doc = readFileSync(new URL('../docs/operations.md', import.meta.url), 'utf8')
    for (const key of Object.keys(loadConfig({ dataDir }, {}))) expect(doc, key).toContain(`| \`${key}\` |`)
  })

  it('precedence: flags > environment > config file > defaults, field by field', () => {
    writeConfigFile({ network: 'from-file', port: 1111, host: '0.0.0.0', logLevel: 'warn' })
    const env = { CAIRN_NETWORK: 'from-env', CAIRN_PORT: '2222' }
    const config = loadConfig({ network: 'from-flags' }, { ...env, CAIRN_DATA_DIR: dataDir })
    expect(config.network).toBe('from-flags') // flags beat env and file
    expect(config.port).toBe(2222) // env beats file
    expect(config.host).toBe('0.0.0.0') // file beats defaults
    expect(config.logLevel).toBe('warn')
    expect(config.maxTriples).toBe(100_000) // default
    expect(loadConfig({}, { CAIRN_DATA_DIR: dataDir }).network).toBe('from-file')
    expect(loadConfig({ port: 3333 }, { ...env, CAIRN_DATA_DIR: dataDir }).port).toBe(3333)
  })

  it('flags given as undefined (an option not passed on the command line) do not mask lower layers', () => {
    writeConfigFile({ port: 1111 })
    const config = loadConfig({ dataDir, port: undefined, host: undefined, network: undefined }, { CAIRN_NETWORK: 'env-net' })
    expect(config.port).toBe(1111)
    expect(config.network).toBe('env-net')
    expect(config.host).toBe('127.0.0.1')
  })

  it('empty environment variables are ignored', () => {
    expect(loadConfig({ dataDir }, { CAIRN_NETWORK: '', CAIRN_PORT: '' })).toMatchObject({ network: 'local', port: 8900 })
  })

  it('the data directory comes from flags, then CAIRN_DATA_DIR, then .cairn; the config file is read from it', () => {
    const other = tempDir('cairn-config-other-')
    try {
      writeConfigFile({ network: 'in-data-dir' })
      writeFileSync(join(other, CONFIG_FILE), JSON.stringify({ network: 'in-other' }))
      expect(loadConfig({ dataDir }, { CAIRN_DATA_DIR: other })).toMatchObject({ dataDir, network: 'in-data-dir' })
      expect(loadConfig({}, { CAIRN_DATA_DIR: other })).toMatchObject({ dataDir: other, network: 'in-other' })
      expect(loadConfig({}, {}).dataDir).toBe(resolve('.cairn'))
      // A relative data dir is made absolute; a dataDir inside config.json cannot move the data dir.
      writeConfigFile({ dataDir: '/somewhere/else' })
      expect(loadConfig({ dataDir }, {}).dataDir).toBe(dataDir)
    } finally {
      rmSync(other, { recursive: true, force: true })
    }
  })

  it('parses every environment variable into its field', () => {
    const env = {
      CAIRN_DATA_DIR: dataDir,
      CAIRN_NETWORK: 'testnet',
      CAIRN_HOST: '::1',
      CAIRN_PORT: '0',
      CAIRN_LOG_LEVEL: 'debug',
      CAIRN_BODY_LIMIT: '2048',
      CAIRN_MAX_TRIPLES: '10',
      CAIRN_PUBLISHER_ALLOW_LIST: ' 5FRmdvipfYnTRqfAgAimk2uQPJqcjNJUPWovWFc5pD4yiGpG , 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY,,',
      CAIRN_TIMESTAMP_SKEW_SECONDS: '30',
      CAIRN_ALLOW_REMOTE_CONTEXTS: 'true',
      CAIRN_NODE_KEY_TYPE: 'sr25519',
      CAIRN_SPARQL_TIMEOUT_MS: '500',
      CAIRN_SPARQL_REPLICAS: '1',
      CAIRN_P2P: 'false',
      CAIRN_P2P_LISTEN: '/ip4/127.0.0.1/tcp/4001, /ip4/127.0.0.1/tcp/4002',
      CAIRN_BOOTSTRAP: '/ip4/127.0.0.1/tcp/4003/p2p/12D3KooWELjLMZT5SSDEFXB2w3ajRNNin9qdKmeyHkV9cuG1JpHq',
      CAIRN_REPLICATION_FACTOR: '5',
      CAIRN_SYNC_INTERVAL_MS: '0',
      UNRELATED: 'ignored'
    }
    expect(loadConfig({}, env)).toMatchObject({
      dataDir,
      network: 'testnet',
      host: '::1',
      port: 0,
      logLevel: 'debug',
      bodyLimit: 2048,
      maxTriples: 10,
      publisherAllowList: ['5FRmdvipfYnTRqfAgAimk2uQPJqcjNJUPWovWFc5pD4yiGpG', '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'],
      timestampSkewSeconds: 30,
      allowRemoteContexts: true,
      nodeKeyType: 'sr25519',
      sparqlTimeoutMs: 500,
      sparqlReplicas: 1,
      p2p: false,
      p2pListen: ['/ip4/127.0.0.1/tcp/4001', '/ip4/127.0.0.1/tcp/4002'],
      bootstrap: ['/ip4/127.0.0.1/tcp/4003/p2p/12D3KooWELjLMZT5SSDEFXB2w3ajRNNin9qdKmeyHkV9cuG1JpHq'],
      replicationFactor: 5,
      syncIntervalMs: 0
    })
    expect(configFromEnv({ CAIRN_ALLOW_REMOTE_CONTEXTS: '1' }).allowRemoteContexts).toBe(true)
    expect(configFromEnv({ CAIRN_ALLOW_REMOTE_CONTEXTS: 'yes' }).allowRemoteContexts).toBe(false)
    expect(configFromEnv({})).toEqual({})
  })

  describe('invalid values are CONFIG_INVALID naming the field', () => {
    it.each([
      ['a flag', { port: 'eighty' }, {}, 'port'],
      ['a flag out of range', { port: 70000 }, {}, 'port'],
      ['an environment variable', {}, { CAIRN_NETWORK: 'Not_A_Network' }, 'network'],
      ['an enum', {}, { CAIRN_LOG_LEVEL: 'verbose' }, 'logLevel'],
      ['a key type', { nodeKeyType: 'ecdsa' }, {}, 'nodeKeyType'],
      ['a negative limit', {}, { CAIRN_BODY_LIMIT: '-1' }, 'bodyLimit'],
      ['a zero triple limit', { maxTriples: 0 }, {}, 'maxTriples'],
      ['a fractional skew', {}, { CAIRN_TIMESTAMP_SKEW_SECONDS: '1.5' }, 'timestampSkewSeconds']
    ] as Array<[string, Record<string, unknown>, Record<string, string>, string]>)('%s', (_why, flags, env, field) => {
      const err = loadError({ dataDir, ...flags }, env)
      expect(err.status).toBe(500)
      expect(err.message).toMatch(new RegExp(`^config: .*\\b${field}: `))
      expect((err.details?.problems as string[]).some((p) => p.startsWith(`${field}: `))).toBe(true)
    })

    it('a bad value in config.json', () => {
      writeConfigFile({ port: 'x', allowRemoteContexts: 'true' })
      const err = loadError({ dataDir }, {})
      const problems = err.details?.problems as string[]
      expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['allowRemoteContexts', 'port'])
    })

    it('an unknown field in config.json is named', () => {
      writeConfigFile({ netwrok: 'typo' })
      expect(loadError({ dataDir }, {}).message).toContain('netwrok')
    })

    it('config.json that is not JSON names the file', () => {
      writeConfigFile('{ "network": ')
      const err = loadError({ dataDir }, {})
      expect(err.message).toContain(join(dataDir, CONFIG_FILE))
      expect(err.message).toContain('not valid JSON')
    })

    it('a lower layer may be invalid when a higher layer overrides it', () => {
      writeConfigFile({ port: 'x' })
      expect(loadConfig({ dataDir }, { CAIRN_PORT: '1234' }).port).toBe(1234)
    })
  })

  it('the schema is strict and every field has a default or is optional', () => {
    expect(() => ConfigSchema.parse({ dataDir: '/x', bogus: 1 })).toThrow()
    expect(ConfigSchema.parse({}).dataDir).toBe('.cairn')
  })
})
