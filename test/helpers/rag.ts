/**
 * A small people/organizations graph for retrieval tests: one asset per named graph (TriG), with one triple
 * (ACME's founder) stated by two assets so de-duplication shows, and a two-hop chain ACME → Lisbon → Portugal.
 */
import { createEmbeddedLedgerAnchor } from '../../src/anchor/index.js'
import { createAssetService, keysReady, signerFromSeed } from '../../src/asset/index.js'
import type { AssetService } from '../../src/asset/index.js'
import { proofReady } from '../../src/proof/index.js'
import { createAssetStore } from '../../src/store/index.js'
import type { AssetStore } from '../../src/store/index.js'

export const EX = 'https://example.org/'
export const S = 'https://schema.org/'

export const PEOPLE_TRIG = `@prefix s: <https://schema.org/> .
@prefix ex: <https://example.org/> .
ex:g-acme { ex:acme a s:Organization ; s:name "ACME Rockets" ; s:founder ex:ada ; s:foundingDate "1999-04-01" ;
  s:location ex:lisbon ; s:description "Builds small rockets for hobbyists" . }
ex:g-ada { ex:ada a s:Person ; s:name "Ada Lovelace" ; s:worksFor ex:acme ; s:knows ex:grace ; s:birthPlace ex:london . }
ex:g-grace { ex:grace a s:Person ; s:name "Grace Hopper" ; s:jobTitle "Rear admiral" ; s:alumniOf ex:yale . }
ex:g-lisbon { ex:lisbon a s:City ; s:name "Lisbon" ; s:containedInPlace ex:portugal . }
ex:g-portugal { ex:portugal a s:Country ; s:name "Portugal" . }
ex:g-registry { ex:acme s:founder ex:ada . ex:registry s:name "Company registry extract" ; s:about ex:acme . }
ex:g-widgets { ex:widgets a s:Organization ; s:name "Widget Works" ; s:founder ex:bob . ex:bob s:name "Bob Builder" . }
`

export interface RagFixture { store: AssetStore, assets: AssetService, uals: string[], stop: () => Promise<void> }

/** An in-memory store and asset service (inline prepare, embedded ledger) holding PEOPLE_TRIG, one asset per graph. */
export async function startRagFixture (trig = PEOPLE_TRIG): Promise<RagFixture> {
  await Promise.all([proofReady(), keysReady()])
  const store = createAssetStore({ path: ':memory:' })
  await store.start()
  const nodeSigner = signerFromSeed(new Uint8Array(32).fill(7))
  const anchor = createEmbeddedLedgerAnchor({}, { store, signer: nodeSigner })
  const assets = createAssetService({ network: 'local' }, { store, anchor, nodeSigner })
  const uals = (await assets.publishRdf({ text: trig, format: 'trig' })).map((r) => r.ual)
  return { store, assets, uals, stop: async () => { await store.stop() } }
}
