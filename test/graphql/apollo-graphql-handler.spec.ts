import { once } from 'node:events'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createErrorHandler, notFound } from '../../src/api/error-handler.js'
import { ApolloGraphqlHandler } from '../../src/graphql/apollo-graphql-handler.js'
import type { GraphqlComponents } from '../../src/graphql/index.js'
import type { SparqlEngine } from '../../src/sparql/index.js'
import type { AssetService } from '../../src/asset/index.js'
import type { ContributionLedger, Retriever } from '../../src/rag/index.js'
import type { AssetStore } from '../../src/store/index.js'

describe('ApolloGraphqlHandler lifecycle (Startable) behind a real HTTP listener', () => {
  const logger = pino({ level: 'silent' })
  // Lifecycle only: these queries never reach the store, the asset service, the engine or the retriever.
  const components: GraphqlComponents = {
    store: {} as AssetStore, assets: {} as AssetService, sparql: {} as SparqlEngine, retriever: {} as Retriever, contributions: {} as ContributionLedger, logger
  }
  const handler = new ApolloGraphqlHandler({}, components)
  let server: Server
  let url: string

  const typename = async (): Promise<{ status: number, body: Record<string, unknown> }> => {
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })
    return { status: res.status, body: await res.json() as Record<string, unknown> }
  }

  beforeAll(async () => {
    const app = express().use(handler.router).use(notFound).use(createErrorHandler(logger))
    server = app.listen(0, '127.0.0.1')
    await once(server, 'listening')
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await handler.stop()
    server.closeAllConnections()
    server.close()
  })

  it('stop before start is a no-op; a request before start is CAIRN_INTERNAL', async () => {
    expect(handler.isStarted()).toBe(false)
    await handler.stop()
    expect(handler.isStarted()).toBe(false)
    const before = await typename()
    expect(before.status).toBe(500)
    expect(before.body.code).toBe('CAIRN_INTERNAL')
  })

  it('start twice is a no-op, and it answers once started', async () => {
    await handler.start()
    await handler.start()
    expect(handler.isStarted()).toBe(true)
    expect(await typename()).toEqual({ status: 200, body: { data: { __typename: 'Query' } } })
  })

  it('starts again after a stop', async () => {
    await handler.stop()
    await handler.stop()
    expect(handler.isStarted()).toBe(false)
    await handler.start()
    expect(await typename()).toEqual({ status: 200, body: { data: { __typename: 'Query' } } })
  })
})
