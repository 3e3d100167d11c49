/**
 * Cairn's public library surface: the node factory, the typed client, the pure verifier and the error catalogue.
 *
 * @packageDocumentation
 * @example
 * ```ts
 * import { createCairnNode, loadConfig } from 'cairn'
 * const node = await createCairnNode({ config: loadConfig({ port: 0 }) })
 * ```
 */
export { createCairnNode } from './node.js'
export type { CairnNode, CairnNodeInit, CairnComponents } from './node.js'
export { loadConfig, ConfigSchema } from './config.js'
export type { CairnConfig } from './config.js'
export { createCairnClient } from './client/index.js'
export type { CairnClient, CairnClientInit } from './client/index.js'
export * from './errors.js'
