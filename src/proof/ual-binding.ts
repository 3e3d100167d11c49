/**
 * The UAL names its publisher and asset id (`did:cairn:<network>/<publisher>/<assetId>`, src/asset/ual.ts). A
 * verifier must check that binding: otherwise publisher P could sign claims under Q's UAL and a citation or
 * bundle would verify "by P" while presenting Q's asset. Only the split is duplicated here (no address decoding),
 * so src/proof stays free of the asset module; test/proof checks both agree.
 */
export const UAL_PREFIX = 'did:cairn:'

export interface UalParts { network: string, publisher: string, assetId: string }

/** The parts of a base UAL, or undefined when `ual` is not one (a version IRI `…/vN` is not a base UAL). */
export function ualParts (ual: string): UalParts | undefined {
  if (typeof ual !== 'string' || !ual.startsWith(UAL_PREFIX)) return undefined
  const parts = ual.slice(UAL_PREFIX.length).split('/')
  if (parts.length !== 3 || parts.some(p => p.length === 0)) return undefined
  const [network, publisher, assetId] = parts
  return { network, publisher, assetId }
}
