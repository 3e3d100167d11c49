/**
 * The MCP SDK's runtime modules, imported on first use: they take about a second to load on a busy machine, and
 * every `cairn` command imports the node's composition root, so commands that never serve MCP should not pay for
 * them. (Type imports elsewhere are erased at compile time and cost nothing.)
 */
type ServerSdk = typeof import('@modelcontextprotocol/sdk/server/mcp.js') &
  typeof import('@modelcontextprotocol/sdk/types.js') &
  typeof import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js')

let server: Promise<ServerSdk> | undefined

export async function serverSdk (): Promise<ServerSdk> {
  server ??= Promise.all([
    import('@modelcontextprotocol/sdk/server/mcp.js'),
    import('@modelcontextprotocol/sdk/types.js'),
    import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js')
  ]).then(([mcp, types, http]) => ({ ...types, ...mcp, ...http }))
  return await server
}
