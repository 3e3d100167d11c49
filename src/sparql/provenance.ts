import { DataFactory } from 'n3'
import type { Term } from '@rdfjs/types'
import { tripleToLine } from '../rdf/ntriples.js'
import { versionIri } from '../rdf/skolem.js'
import type { VersionRecord } from '../store/index.js'

/** The Cairn vocabulary (ontologies/cairn.ttl). */
export const CAIRN = 'https://w3id.org/cairn/vocab#'
export const PROV = 'http://www.w3.org/ns/prov#'
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type'
const XSD = 'http://www.w3.org/2001/XMLSchema#'
/** The named graph describing every asset and version. */
export const PROVENANCE_GRAPH = 'urn:cairn:provenance'

const { namedNode: iri, literal } = DataFactory
const int = (n: number): Term => literal(String(n), iri(`${XSD}integer`))
const str = (s: string): Term => literal(s)

/** `did:cairn:<network>/<ss58>`: the publisher as a PROV agent (a UAL's first two segments). */
export function publisherIri (ual: string, publisher: string): string {
  return `${ual.slice(0, ual.indexOf('/'))}/${publisher}`
}

/** Provenance triples of one version (N-Triples lines), everything but `cairn:currentVersion`. */
export function provenanceLines (v: VersionRecord): string[] {
  const version = iri(v.versionIri)
  const asset = iri(v.ual)
  const publisher = iri(publisherIri(v.ual, v.publisher))
  const t = (s: Term, p: string, o: Term): string => tripleToLine(s, iri(p), o)
  const lines = [
    t(asset, RDF_TYPE, iri(`${CAIRN}KnowledgeAsset`)),
    t(version, RDF_TYPE, iri(`${CAIRN}AssetVersion`)),
    t(version, `${CAIRN}asset`, asset),
    t(version, `${CAIRN}versionNumber`, int(v.version)),
    t(version, `${CAIRN}merkleRoot`, str(v.root)),
    t(version, `${CAIRN}signature`, str(v.signature)),
    t(version, `${CAIRN}tripleCount`, int(v.tripleCount)),
    t(version, `${CAIRN}publisher`, publisher),
    t(version, `${PROV}generatedAtTime`, literal(v.timestamp, iri(`${XSD}dateTime`))),
    t(publisher, RDF_TYPE, iri(`${CAIRN}Publisher`)),
    t(publisher, `${CAIRN}address`, str(v.publisher))
  ]
  if (v.previousRoot !== null) {
    lines.push(t(version, `${CAIRN}previousRoot`, str(v.previousRoot)))
    lines.push(t(version, `${PROV}wasRevisionOf`, iri(versionIri(v.ual, v.version - 1))))
  }
  if (v.sourceName !== null) lines.push(t(version, `${CAIRN}sourceGraph`, str(v.sourceName)))
  if (v.anchor !== null) {
    lines.push(t(version, `${CAIRN}anchorType`, str(v.anchor.type)))
    lines.push(t(version, `${CAIRN}ledger`, str(v.anchor.entry.ledger)))
    lines.push(t(version, `${CAIRN}ledgerHeight`, int(v.anchor.entry.height)))
    lines.push(t(version, `${CAIRN}ledgerEntryHash`, str(v.anchor.entryHash)))
  }
  return lines
}

/** `<ual> cairn:currentVersion <versionIri>`. */
export function currentVersionLine (ual: string, versionIriValue: string): string {
  return tripleToLine(iri(ual), iri(`${CAIRN}currentVersion`), iri(versionIriValue))
}
