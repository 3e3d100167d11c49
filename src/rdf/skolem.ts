/**
 * Skolem IRIs for canonical blank nodes (RDF 1.1 §3.5). Merkle leaves keep RDFC-1.0 labels (`_:c14nN`); storage,
 * queries and citations use `<versionIri>/.well-known/genid/c14nN` so every triple is addressable. The mapping is
 * per asset *version*: two versions may use `c14n0` for different nodes. Pure string functions, browser-safe.
 */

export const GENID_PATH = '/.well-known/genid/'

/** The IRI naming one asset version: its named graph and the base of its skolem IRIs. */
export function versionIri (ual: string, version: number): string {
  return `${ual}/v${version}`
}

export function skolemIri (versionIriValue: string, label: string): string {
  return `${versionIriValue}${GENID_PATH}${label}`
}

/** The blank node label of a skolem IRI of this version, or undefined when the IRI is not one. */
export function skolemLabel (versionIriValue: string, iri: string): string | undefined {
  const prefix = versionIriValue + GENID_PATH
  if (!iri.startsWith(prefix)) return undefined
  const label = iri.slice(prefix.length)
  return /^[A-Za-z0-9_]+$/.test(label) ? label : undefined
}

const BNODE_IN_LINE = /(^|\s)_:([A-Za-z0-9_]+)(?=\s)/g

/** Replace `_:label` subjects/objects in a canonical N-Triples line by this version's skolem IRIs. */
export function skolemizeLine (line: string, versionIriValue: string): string {
  // Blank node labels appear only in subject/object position, each preceded by line start or a space and followed
  // by a space; literals come last in a line and are quoted, so a `_:` inside a literal is never preceded by
  // whitespace outside quotes unless it is the object — handled by matching only outside the final literal.
  const literalStart = line.indexOf('"')
  const head = literalStart === -1 ? line : line.slice(0, literalStart)
  const tail = literalStart === -1 ? '' : line.slice(literalStart)
  return head.replace(BNODE_IN_LINE, (_m, sep: string, label: string) => `${sep}<${skolemIri(versionIriValue, label)}>`) + tail
}

/** Inverse of {@link skolemizeLine}. */
export function deskolemizeLine (line: string, versionIriValue: string): string {
  const prefix = `<${versionIriValue}${GENID_PATH}`
  const literalStart = line.indexOf('"')
  const head = literalStart === -1 ? line : line.slice(0, literalStart)
  const tail = literalStart === -1 ? '' : line.slice(literalStart)
  let out = ''
  let from = 0
  for (;;) {
    const at = head.indexOf(prefix, from)
    if (at === -1) break
    const end = head.indexOf('>', at)
    const label = head.slice(at + prefix.length, end)
    out += head.slice(from, at) + `_:${label}`
    from = end + 1
  }
  return out + head.slice(from) + tail
}
