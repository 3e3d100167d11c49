import { ERRORS } from '../errors.js'

const ualParam = {
  name: 'ual',
  in: 'path',
  required: true,
  description: 'The UAL, percent-encoded (did%3Acairn%3A…). An unencoded UAL in the path is accepted too.',
  schema: { type: 'string', example: 'did:cairn:local/5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY/0123456789abcdef0123456789abcdef01234567' }
}
const versionParam = { name: 'version', in: 'query', required: false, schema: { type: 'integer', minimum: 1 }, description: 'A version number; default the current version.' }
const problem = { description: 'Error (RFC 9457 problem details with a CAIRN_* code)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } }
const rdfBody = {
  required: true,
  description: 'RDF in the format named by Content-Type (one asset per graph), or client-signed versions.',
  content: {
    'text/turtle': { schema: { type: 'string' } },
    'application/trig': { schema: { type: 'string' } },
    'application/n-triples': { schema: { type: 'string' } },
    'application/n-quads': { schema: { type: 'string' } },
    'application/ld+json': { schema: { type: 'object' } },
    'application/vnd.cairn.signed+json': { schema: { $ref: '#/components/schemas/SignedVersions' } }
  }
}
const graphqlResponse = {
  description: 'A GraphQL response: `data`, and `errors` each with `extensions.code` (CAIRN_*) and `extensions.status`',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/GraphqlResponse' } }, 'application/graphql-response+json': { schema: { $ref: '#/components/schemas/GraphqlResponse' } } }
}
const graphqlOrProblem = {
  description: 'A request GraphQL refuses whole (syntax, validation, limits: a GraphQL response with errors only), or one that is not a GraphQL request (problem+json)',
  content: { ...graphqlResponse.content, 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } }
}
const json = (ref: string): object => ({ content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } })
const tokenOrSignature = [{ bearerToken: [] }, {}]
const replicationParams = [
  { name: 'minReplications', in: 'query', required: false, schema: { type: 'integer', minimum: 0, maximum: 64 }, description: 'Wait for this many verified receipts (networked nodes); the answer says honestly how many came.' },
  { name: 'replicationTimeoutMs', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 60000, default: 10000 } }
]
const sparqlResults = {
  description: 'Results by content negotiation (SELECT/ASK: SPARQL JSON, XML, CSV, TSV; CONSTRUCT/DESCRIBE: Turtle, N-Triples, N-Quads, JSON-LD). Headers Cairn-Rows and Cairn-Truncated tell whether a row or byte cap cut the result.',
  content: {
    'application/sparql-results+json': {}, 'application/sparql-results+xml': {}, 'text/csv': {}, 'text/tab-separated-values': {},
    'text/turtle': {}, 'application/n-triples': {}, 'application/n-quads': {}, 'application/ld+json': {}
  }
}

/** OpenAPI 3.1 description of the REST API; test/api/openapi.spec.ts checks it against the mounted routes. */
export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'Cairn node API',
    version: '0.1.0',
    description: 'Publish, read and verify knowledge assets. Reads are public; writes need the node API token or a client signature.'
  },
  paths: {
    '/assets': {
      post: {
        operationId: 'publishAssets',
        summary: 'Publish one asset per graph of the body (a batch), all-or-nothing',
        security: tokenOrSignature,
        parameters: [{ name: 'base', in: 'query', required: false, schema: { type: 'string', format: 'uri' }, description: 'Base IRI for relative IRIs (rejected without it).' }, ...replicationParams],
        requestBody: rdfBody,
        responses: {
          201: { description: 'Created (at least one new asset)', ...json('PublishResponse') },
          200: { description: 'Every asset already existed (idempotent re-publish)', ...json('PublishResponse') },
          400: problem, 401: problem, 403: problem, 413: problem, 415: problem, 422: problem
        }
      },
      get: {
        operationId: 'listAssets',
        summary: 'List assets, oldest first, with a cursor',
        parameters: [
          { name: 'publisher', in: 'query', required: false, schema: { type: 'string' } },
          { name: 'after', in: 'query', required: false, schema: { type: 'string' }, description: 'Cursor: the `next` of the previous page.' },
          { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } }
        ],
        responses: { 200: { description: 'A page of assets', ...json('AssetPage') }, 400: problem }
      }
    },
    '/assets/{ual}': {
      get: {
        operationId: 'getAsset',
        summary: 'An asset version as RDF (content negotiation or ?format=)',
        parameters: [ualParam, versionParam, { name: 'format', in: 'query', required: false, schema: { type: 'string', enum: ['jsonld', 'nquads', 'ntriples', 'turtle', 'trig'] } }],
        responses: {
          200: {
            description: 'The triples (blank nodes skolemized); headers Cairn-UAL, Cairn-Version, Cairn-Root',
            content: { 'application/ld+json': {}, 'application/n-quads': {}, 'application/n-triples': {}, 'text/turtle': {}, 'application/trig': {} }
          },
          400: problem, 404: problem, 406: problem
        }
      }
    },
    '/assets/{ual}/versions': {
      post: {
        operationId: 'updateAsset',
        summary: 'Publish a new version (only the original publisher)',
        security: tokenOrSignature,
        parameters: [ualParam, ...replicationParams],
        requestBody: rdfBody,
        responses: { 201: { description: 'New version', ...json('PublishResult') }, 200: { description: 'Same content as the current version', ...json('PublishResult') }, 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 415: problem, 422: problem }
      }
    },
    '/assets/{ual}/history': {
      get: { operationId: 'assetHistory', summary: 'Every version with root, signature and anchor', parameters: [ualParam], responses: { 200: { description: 'History', ...json('History') }, 400: problem, 404: problem } }
    },
    '/assets/{ual}/proof': {
      get: {
        operationId: 'tripleProof',
        summary: 'Citation with the inclusion proof of one triple',
        parameters: [ualParam, versionParam,
          { name: 'subject', in: 'query', required: true, schema: { type: 'string' }, description: 'N-Triples term or bare IRI' },
          { name: 'predicate', in: 'query', required: true, schema: { type: 'string' } },
          { name: 'object', in: 'query', required: true, schema: { type: 'string' }, description: 'N-Triples term (literals quoted) or bare IRI' }],
        responses: { 200: { description: 'Citation', ...json('Citation') }, 400: problem, 404: problem }
      }
    },
    '/assets/{ual}/bundle': {
      get: { operationId: 'assetBundle', summary: 'Everything needed to verify the asset offline', parameters: [ualParam], responses: { 200: { description: 'Bundle', ...json('Bundle') }, 400: problem, 404: problem } }
    },
    '/assets/{ual}/verify': {
      get: { operationId: 'verifyAsset', summary: 'Re-derive every version from stored triples and check it', parameters: [ualParam], responses: { 200: { description: 'Verification report (ok may be false)', ...json('BundleReport') }, 400: problem, 404: problem } }
    },
    '/sparql': {
      get: {
        operationId: 'sparqlQuery',
        summary: 'SPARQL 1.1 Protocol query (read-only); without `query`, the service description (Turtle)',
        parameters: [
          { name: 'query', in: 'query', required: false, schema: { type: 'string' } },
          { name: 'default-graph-uri', in: 'query', required: false, schema: { type: 'array', items: { type: 'string' } }, style: 'form', explode: true },
          { name: 'named-graph-uri', in: 'query', required: false, schema: { type: 'array', items: { type: 'string' } }, style: 'form', explode: true },
          { name: 'timeout', in: 'query', required: false, schema: { type: 'integer', minimum: 1 }, description: 'Milliseconds; can only lower the server limit.' },
          { name: 'format', in: 'query', required: false, schema: { type: 'string', enum: ['json', 'xml', 'csv', 'tsv', 'turtle', 'ntriples', 'nquads', 'jsonld'] } }
        ],
        responses: { 200: sparqlResults, 400: problem, 403: problem, 406: problem, 503: problem }
      },
      post: {
        operationId: 'sparqlQueryPost',
        summary: 'SPARQL 1.1 Protocol query by POST; updates are refused (403 CAIRN_SPARQL_UPDATE_REFUSED)',
        parameters: [{ name: 'timeout', in: 'query', required: false, schema: { type: 'integer', minimum: 1 } }],
        requestBody: {
          required: true,
          content: {
            'application/sparql-query': { schema: { type: 'string' } },
            'application/x-www-form-urlencoded': { schema: { type: 'object', properties: { query: { type: 'string' }, 'default-graph-uri': { type: 'array', items: { type: 'string' } }, 'named-graph-uri': { type: 'array', items: { type: 'string' } } } } }
          }
        },
        responses: { 200: sparqlResults, 400: problem, 403: problem, 406: problem, 415: problem, 503: problem }
      }
    },
    '/retrieve': {
      post: {
        operationId: 'retrieve',
        summary: 'Grounded retrieval: a question and/or entity IRIs in; ranked facts with citations and a numbered context block out (docs/retrieval.md). Signed (Cairn-Signature); every citation served is counted in the contribution ledger.',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/RetrieveRequest' } } } },
        responses: { 200: { description: 'Facts, context, linked entities, notes; `truncated` when the budget cut facts', ...json('RetrieveResponse') }, 400: problem, 413: problem, 415: problem }
      }
    },
    '/contributions': {
      get: {
        operationId: 'contributions',
        summary: 'Citations served per publisher and asset in a time window (the basis for rewarding publishers); JSON or CSV',
        parameters: [
          { name: 'publisher', in: 'query', required: false, schema: { type: 'string' }, description: 'SS58 address of one publisher.' },
          { name: 'from', in: 'query', required: false, schema: { type: 'string', format: 'date-time' }, description: 'ISO-8601 date or date-time, inclusive (zoneless = UTC).' },
          { name: 'to', in: 'query', required: false, schema: { type: 'string', format: 'date-time' }, description: 'ISO-8601 date or date-time, exclusive.' },
          { name: 'format', in: 'query', required: false, schema: { type: 'string', enum: ['json', 'csv'], default: 'json' }, description: 'Or Accept: text/csv. CSV has a header row: publisher,ual,citations.' }
        ],
        responses: { 200: { description: 'Counts; header Cairn-Truncated says whether per-asset rows were cut at the row cap', content: { 'application/json': { schema: { $ref: '#/components/schemas/ContributionSummary' } }, 'text/csv': { schema: { type: 'string' } } } }, 400: problem, 406: problem }
      }
    },
    '/peers/self': {
      get: { operationId: 'peerSelf', summary: "This node's peer id and libp2p multiaddrs (networked nodes)", responses: { 200: { description: 'Identity', content: { 'application/json': {} } } } }
    },
    '/peers': {
      get: { operationId: 'peers', summary: 'The peer table: id, addresses, last seen, score, connected', responses: { 200: { description: 'Peers', content: { 'application/json': {} } } } }
    },
    '/sync': {
      get: { operationId: 'syncStatus', summary: 'Report of the last catch-up round: complete, synced, per-peer cursors, missing', responses: { 200: { description: 'Sync report', content: { 'application/json': {} } } } },
      post: { operationId: 'syncNow', summary: 'Run one catch-up round now and report it', security: [{ bearerToken: [] }], responses: { 200: { description: 'Sync report', content: { 'application/json': {} } }, 401: problem } }
    },
    '/graphql': {
      get: {
        operationId: 'graphqlQuery',
        summary: 'GraphQL over HTTP (read-only): entities, facts, assets, search, SPARQL; schema in src/graphql/schema.graphql, guide in docs/graphql.md',
        parameters: [
          { name: 'query', in: 'query', required: true, schema: { type: 'string' }, description: 'The GraphQL document.' },
          { name: 'variables', in: 'query', required: false, schema: { type: 'string' }, description: 'JSON object of variable values.' },
          { name: 'operationName', in: 'query', required: false, schema: { type: 'string' } }
        ],
        responses: { 200: graphqlResponse, 400: graphqlOrProblem }
      },
      post: {
        operationId: 'graphqlQueryPost',
        summary: 'GraphQL over HTTP by POST (application/json); errors carry extensions.code from the CAIRN_* catalogue',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/GraphqlRequest' } } } },
        responses: { 200: graphqlResponse, 400: graphqlOrProblem, 413: problem, 415: problem }
      }
    },
    '/mcp': {
      post: {
        operationId: 'mcp',
        summary: 'MCP (Model Context Protocol) over stateless Streamable HTTP: JSON-RPC messages in, one JSON answer out (never SSE; GET and DELETE answer 405). Tools, resources and limits: docs/mcp.md. Signed (Cairn-Signature). The `publish` tool, when enabled, needs the bearer token.',
        security: tokenOrSignature,
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/JsonRpcMessage' } } } },
        responses: {
          200: { description: 'The JSON-RPC response(s); tool failures are results with isError and a CAIRN_* code', ...json('JsonRpcMessage') },
          202: { description: 'Accepted: the body held only notifications or responses' },
          400: { description: 'Not a JSON-RPC message (JSON-RPC error body)', ...json('JsonRpcMessage') },
          406: { description: 'Accept admits no JSON', ...json('JsonRpcMessage') },
          413: problem,
          415: { description: 'Content-Type is not application/json', ...json('JsonRpcMessage') }
        }
      }
    },
    '/healthz': { get: { operationId: 'health', summary: 'Liveness', responses: { 200: { description: 'Alive', ...json('Health') } } } },
    '/readyz': { get: { operationId: 'ready', summary: 'Readiness: every component started', responses: { 200: { description: 'Ready', ...json('Health') }, 503: { description: 'Not ready', ...json('Health') } } } },
    '/openapi.json': { get: { operationId: 'openapi', summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': {} } } } } }
  },
  components: {
    securitySchemes: { bearerToken: { type: 'http', scheme: 'bearer', description: 'The node API token (`cairn token`).' } },
    schemas: {
      Problem: {
        type: 'object',
        required: ['type', 'title', 'status', 'detail', 'code'],
        properties: {
          type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' },
          code: { type: 'string', enum: Object.keys(ERRORS).map((k) => `CAIRN_${k}`) }, details: { type: 'object' }, instance: { type: 'string' }
        }
      },
      AnchorProof: {
        type: 'object',
        required: ['type', 'root', 'batchIndex', 'path', 'entry', 'entryHash', 'signature'],
        properties: {
          type: { const: 'cairn-ledger/1' }, root: { type: 'string' }, batchIndex: { type: 'integer' }, path: { type: 'array', items: { type: 'string' } },
          entry: { type: 'object' }, entryHash: { type: 'string' }, signature: { type: 'string' }
        }
      },
      PublishResult: {
        type: 'object',
        required: ['ual', 'version', 'root', 'previousRoot', 'publisher', 'signature', 'timestamp', 'tripleCount', 'anchor', 'status'],
        properties: {
          ual: { type: 'string' }, version: { type: 'integer' }, root: { type: 'string' }, previousRoot: { type: ['string', 'null'] },
          publisher: { type: 'string' }, signature: { type: 'string' }, timestamp: { type: 'string', format: 'date-time' },
          sourceName: { type: ['string', 'null'] }, tripleCount: { type: 'integer' },
          anchor: { oneOf: [{ $ref: '#/components/schemas/AnchorProof' }, { type: 'null' }] }, status: { enum: ['created', 'existing'] }
        }
      },
      PublishResponse: { type: 'object', required: ['assets'], properties: { assets: { type: 'array', items: { $ref: '#/components/schemas/PublishResult' } } } },
      SignedVersion: {
        type: 'object',
        required: ['ual', 'version', 'publisher', 'root', 'previousRoot', 'timestamp', 'signature', 'lines'],
        properties: {
          ual: { type: 'string' }, version: { type: 'integer' }, publisher: { type: 'string' }, root: { type: 'string' },
          previousRoot: { type: ['string', 'null'] }, timestamp: { type: 'string' }, signature: { type: 'string' },
          sourceName: { type: ['string', 'null'] }, lines: { type: 'array', items: { type: 'string' } }
        }
      },
      SignedVersions: { type: 'object', required: ['versions'], properties: { versions: { type: 'array', items: { $ref: '#/components/schemas/SignedVersion' } } } },
      Version: { type: 'object', description: 'A version record: ual, publisher, version, versionIri, root, previousRoot, signature, timestamp, sourceName, tripleCount, anchor, isCurrent, storedAt' },
      History: { type: 'object', required: ['ual', 'versions'], properties: { ual: { type: 'string' }, versions: { type: 'array', items: { $ref: '#/components/schemas/Version' } } } },
      AssetPage: { type: 'object', required: ['items', 'next'], properties: { items: { type: 'array', items: { type: 'object' } }, next: { type: ['string', 'null'] } } },
      Citation: { type: 'object', description: 'See docs/asset-format.md#citations' },
      RetrieveRequest: {
        type: 'object',
        additionalProperties: false,
        description: 'A question, entities, or both (docs/retrieval.md).',
        properties: {
          question: { type: 'string', maxLength: 2000 },
          entities: { type: 'array', maxItems: 32, items: { type: 'string', description: 'Absolute IRI' } },
          budget: { type: 'object', additionalProperties: false, properties: { maxFacts: { type: 'integer', minimum: 1, maximum: 200, default: 20 }, maxChars: { type: 'integer', minimum: 80, maximum: 100000, default: 4000 } } },
          paranet: { type: 'string', description: 'Not supported yet: a non-empty value is refused (400).' },
          hops: { enum: [1, 2], default: 1 },
          withProofs: { type: 'boolean', default: true, description: 'false leaves `proof` out of citations: they then cannot be verified offline.' },
          crossCheck: { type: 'integer', minimum: 0, maximum: 8, description: 'Ask this many peers holding the cited assets for the same facts (networked nodes).' }
        }
      },
      RetrieveResponse: {
        type: 'object',
        required: ['facts', 'context', 'entities', 'linking', 'notes', 'truncated', 'budget', 'hops', 'candidates'],
        properties: {
          facts: {
            type: 'array',
            items: {
              type: 'object',
              required: ['marker', 'triple', 'score', 'scoreParts', 'statedBy', 'citation'],
              properties: {
                marker: { type: 'integer', description: '[n] in the context block' }, triple: { type: 'object' }, score: { type: 'number' },
                scoreParts: { type: 'object' }, statedBy: { type: 'integer' }, citation: { $ref: '#/components/schemas/Citation' }
              }
            }
          },
          context: { type: 'string' },
          entities: { type: 'array', items: { type: 'object', properties: { iri: { type: 'string' }, label: { type: 'string' }, score: { type: 'number' } } } },
          linking: { enum: ['keyword', 'semantic'] },
          notes: { type: 'array', items: { type: 'string' } },
          truncated: { type: 'boolean' },
          budget: { type: 'object', properties: { maxFacts: { type: 'integer' }, maxChars: { type: 'integer' } } },
          hops: { enum: [1, 2] },
          candidates: { type: 'integer' },
          crossCheck: { type: 'object', properties: { requested: { type: 'integer' }, peers: { type: 'array', items: { type: 'object' } } } }
        }
      },
      ContributionSummary: {
        type: 'object',
        required: ['publisher', 'from', 'to', 'publishers', 'total', 'truncated'],
        properties: {
          publisher: { type: ['string', 'null'] }, from: { type: ['string', 'null'] }, to: { type: ['string', 'null'] },
          publishers: { type: 'array', items: { type: 'object', properties: { publisher: { type: 'string' }, citations: { type: 'integer' }, assets: { type: 'array', items: { type: 'object', properties: { ual: { type: 'string' }, citations: { type: 'integer' } } } } } } },
          total: { type: 'integer' }, truncated: { type: 'boolean' }
        }
      },
      Bundle: { type: 'object', description: 'See docs/asset-format.md#bundles' },
      BundleReport: { type: 'object', required: ['ok', 'ual', 'versions'], properties: { ok: { type: 'boolean' }, ual: { type: 'string' }, versions: { type: 'array', items: { type: 'object' } } } },
      GraphqlRequest: {
        type: 'object',
        required: ['query'],
        properties: { query: { type: 'string' }, variables: { type: 'object' }, operationName: { type: 'string' } }
      },
      GraphqlResponse: {
        type: 'object',
        properties: {
          data: { type: ['object', 'null'] },
          errors: {
            type: 'array',
            items: {
              type: 'object',
              required: ['message', 'extensions'],
              properties: {
                message: { type: 'string' }, locations: { type: 'array' }, path: { type: 'array' },
                extensions: {
                  type: 'object',
                  required: ['code', 'status'],
                  properties: { code: { type: 'string', enum: Object.keys(ERRORS).map((k) => `CAIRN_${k}`) }, status: { type: 'integer' }, details: { type: 'object' } }
                }
              }
            }
          }
        }
      },
      JsonRpcMessage: {
        description: 'A JSON-RPC 2.0 message or batch (MCP basic protocol), e.g. {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_schema","arguments":{}}}',
        oneOf: [{ type: 'object', required: ['jsonrpc'], properties: { jsonrpc: { const: '2.0' }, id: { type: ['string', 'integer'] }, method: { type: 'string' }, params: { type: 'object' }, result: { type: 'object' }, error: { type: 'object' } } }, { type: 'array', items: { type: 'object' } }]
      },
      Health: { type: 'object', required: ['status'], properties: { status: { type: 'string' }, network: { type: 'string' }, node: { type: 'string', description: 'SS58 address of the node key' }, components: { type: 'object' } } }
    }
  }
} as const
