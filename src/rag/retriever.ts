import type { Quad, Term } from '@rdfjs/types'
import type { Citation } from '../proof/index.js'
import { DataFactory } from 'n3'
import { compareCodePoints } from '../rdf/index.js'
import type { FactRecord, VersionRecord } from '../store/index.js'
import {
  CONTEXT_LITERAL_CHARS, DEFAULT_MAX_CHARS, DEFAULT_MAX_FACTS, HOP1_OBJECT_FACTS, HOP1_SUBJECT_FACTS, HOP2_NEIGHBOURS, HOP2_OBJECT_FACTS,
  HOP2_SUBJECT_FACTS, HOP_PROXIMITY, LABEL_PREDICATES, LINK_KEEP_RATIO, LINK_RARE_TERMS, MAX_LINKED_ENTITIES, MAX_QUESTION_TERMS,
  OBJECT_SIDE_FACTOR, RDF_TYPE, SEARCH_LITERALS, SEARCH_PAIRS, SECONDARY_PAGE_SHARE, WEIGHTS, WORD_COUNT_CACHE_MAX, WORD_COUNT_TTL_MS
} from './constants.js'
import { crossCheck } from './cross-check.js'
import type {
  RetrieveContext, RetrievedFact, RetrieveRequest, RetrieveResponse, Retriever, RetrieverComponents, RetrieverInit, ServedCitation, TermJson
} from './index.js'
import { parseRetrieveRequest } from './request.js'
import { dice, localName, questionTerms, stem, stemSet } from './text.js'

/** Said in every answer until a semantic (embedding) index exists: linking is by words only. */
export const KEYWORD_NOTE = 'no semantic index is configured: entities were linked by keyword only (FTS5 full-text search over literals)'

const LABELS: ReadonlySet<string> = new Set(LABEL_PREDICATES)

interface Linked { iri: string, label: string, score: number }

/** A fact reached by expansion: from which linked entity, at which hop, on which side of the triple. */
interface Candidate {
  fact: FactRecord
  anchor: Linked
  hop: 1 | 2
  side: 'subject' | 'object'
}

interface Scored extends Candidate {
  /** Dictionary ids "s p o": the de-duplication key. */
  triple: string
  score: number
  parts: Record<keyof typeof WEIGHTS, number>
  version: VersionRecord
  statedBy: number
}

/**
 * Keyword retrieval over the store's graph reads (docs/retrieval.md): FTS5 entity linking, neighbourhood expansion
 * by the (s,p,o) and (o,s) indexes, a weighted score, de-duplication, budget fit, citations from the one citation
 * builder, and one contribution-ledger row per citation served. Synchronous apart from `crossCheck`.
 */
export class KeywordRetriever implements Retriever {
  private readonly init: Required<RetrieverInit>
  private readonly components: RetrieverComponents
  private readonly counts = new Map<string, { count: number, at: number }>()

  constructor (init: RetrieverInit, components: RetrieverComponents) {
    this.init = { defaultMaxFacts: DEFAULT_MAX_FACTS, defaultMaxChars: DEFAULT_MAX_CHARS, ...init }
    this.components = components
  }

  async retrieve (input: RetrieveRequest, context: RetrieveContext): Promise<RetrieveResponse> {
    // Validated here too: GraphQL and MCP reach this without the REST route's parser.
    const request = parseRetrieveRequest(input)
    const budget = { maxFacts: request.budget?.maxFacts ?? this.init.defaultMaxFacts, maxChars: request.budget?.maxChars ?? this.init.defaultMaxChars }
    const hops = request.hops ?? 1
    const notes = [KEYWORD_NOTE]
    const terms = questionTerms(request.question ?? '', MAX_QUESTION_TERMS)
    const question = new Set(terms.map(stem))

    const words = new WordCache()
    const linked = this.link(terms, question, request.entities ?? [], words)
    if (linked.length === 0) notes.push('no entity matched the question; try other words or give `entities` (IRIs)')
    const { candidates, capped } = this.expand(linked, hops, question, words)
    if (capped) notes.push('some entities have more facts than one expansion page reads; ask about them directly (entities) for more')

    const versions = new Map(this.components.store.versionsByIds([...new Set([...candidates.values()].map((c) => c.fact.versionId))]).map((v) => [v.id, v]))
    const labels = labelsOf(candidates.values())
    const ranked = this.rank(candidates, versions, labels, question, words)
    // Labels for the context lines: one read for the IRIs of the facts that can make the cut.
    this.addLabels(labels, ranked.slice(0, budget.maxFacts).flatMap((s) => [s.fact.subject, s.fact.object]))

    // Budget fit: best first, until maxFacts facts or maxChars characters of context.
    const facts: RetrievedFact[] = []
    const lines: string[] = []
    const citations: Citation[] = []
    let chars = 0
    let truncated = false
    let unanchored = 0
    for (const s of ranked) {
      if (s.version.anchor === null) { unanchored++; continue }
      if (facts.length === budget.maxFacts) { truncated = true; break }
      const line = contextLine(facts.length + 1, s, labels)
      const added = (lines.length === 0 ? 0 : 1) + line.length
      if (chars + added > budget.maxChars) { truncated = true; break }
      const citation = this.components.assets.citationFor(s.version, s.fact)
      citations.push(citation)
      lines.push(line)
      chars += added
      facts.push({
        marker: facts.length + 1,
        triple: { subject: termJson(s.fact.subject), predicate: termJson(s.fact.predicate), object: termJson(s.fact.object) },
        score: round(s.score),
        scoreParts: Object.fromEntries(Object.entries(s.parts).map(([k, v]) => [k, round(v)])),
        statedBy: s.statedBy,
        citation: request.withProofs === false ? withoutProof(citation) : citation
      })
    }
    if (unanchored > 0) notes.push(`${unanchored} fact(s) left out: their versions are not anchored yet, so they cannot be cited; retry shortly`)
    if (request.withProofs === false && facts.length > 0) {
      notes.push('withProofs is false: citations carry no merkle proof and cannot be verified offline (GET /assets/{ual}/proof gives it)')
    }
    this.components.contributions.record(citations, context)

    const response: RetrieveResponse = {
      facts,
      context: lines.join('\n'),
      entities: linked.map((e) => ({ iri: e.iri, label: e.label, score: round(e.score) })),
      linking: 'keyword',
      notes,
      truncated,
      budget,
      hops,
      candidates: ranked.length
    }
    const k = request.crossCheck ?? 0
    if (k > 0) {
      if (this.components.network === undefined) {
        notes.push('crossCheck needs a networked node (p2p); this node runs standalone, so no peer was asked')
        response.crossCheck = { requested: k, peers: [] }
      } else {
        response.crossCheck = await crossCheck(this.components.network, citations, k)
        if (response.crossCheck.peers.length < k) notes.push(`crossCheck: ${response.crossCheck.peers.length} of ${k} peers were available`)
      }
    }
    return response
  }

  /**
   * Entity linking (docs/retrieval.md#1-entity-linking-keyword): question words no literal contains are dropped (FTS5 vocabulary),
   * the rest searched together, in pairs and alone (rarest first, bounded reads), and every (subject, literal) hit
   * scored dice(question words, literal words), stemmed. Explicit entities score 1.
   */
  private link (terms: string[], question: ReadonlySet<string>, explicit: string[], words: WordCache): Linked[] {
    const { store } = this.components
    const counts = this.wordCounts(terms)
    const present = terms.filter((t) => counts.has(t)).sort((a, b) => (counts.get(a) as number) - (counts.get(b) as number))
    const rare = present.slice(0, LINK_RARE_TERMS)
    // A search's matches are at most its rarest word's count: past SEARCH_LITERALS only an arbitrary sample would be
    // read, so pairs and single words that frequent are skipped (all words together are always searched).
    const complete = (word: string): boolean => (counts.get(word) as number) <= SEARCH_LITERALS
    const searches = new Set<string>()
    if (present.length >= 1) searches.add(present.join(' '))
    for (let i = 0; i < rare.length; i++) for (let j = i + 1; j < rare.length; j++) if (complete(rare[i])) searches.add(`${rare[i]} ${rare[j]}`)
    for (const t of rare) if (complete(t)) searches.add(t)
    const found = new Map<string, Linked>()
    const stems = new Map<string, number>()
    for (const text of searches) {
      for (const hit of store.subjectsByLiteralWords(text, { literals: SEARCH_LITERALS, limit: SEARCH_PAIRS })) {
        if (hit.subject.termType !== 'NamedNode') continue
        let score = stems.get(hit.literal.value)
        if (score === undefined) stems.set(hit.literal.value, score = dice(question, words.of(hit.literal.value)))
        const prev = found.get(hit.subject.value)
        if (prev === undefined || score > prev.score || (score === prev.score && hit.literal.value.length < prev.label.length)) {
          found.set(hit.subject.value, { iri: hit.subject.value, label: hit.literal.value, score })
        }
      }
    }
    const byWords = [...found.values()].sort((a, b) => b.score - a.score || compareCodePoints(a.iri, b.iri))
    const best = byWords[0]?.score ?? 0
    const kept = byWords.filter((e) => e.score > 0 && e.score >= best * LINK_KEEP_RATIO).slice(0, MAX_LINKED_ENTITIES)
    const givenLabels = new Map<string, string>()
    this.addLabels(givenLabels, explicit.map((iri) => DataFactory.namedNode(iri)))
    const given = [...new Set(explicit)].map((iri) => ({ iri, label: givenLabels.get(iri) ?? localName(iri), score: 1 }))
    return [...given, ...kept.filter((e) => !given.some((g) => g.iri === e.iri))]
  }

  /** FTS5 document frequencies of words, the present ones remembered for WORD_COUNT_TTL_MS (counting a frequent word walks its whole doclist). */
  private wordCounts (words: string[]): Map<string, number> {
    const now = Date.now()
    const out = new Map<string, number>()
    const unknown: string[] = []
    for (const w of words) {
      const hit = this.counts.get(w)
      if (hit !== undefined && now - hit.at < WORD_COUNT_TTL_MS) out.set(w, hit.count)
      else unknown.push(w)
    }
    if (unknown.length === 0) return out
    if (this.counts.size + unknown.length > WORD_COUNT_CACHE_MAX) this.counts.clear()
    for (const [w, count] of this.components.store.literalWordCounts(unknown)) {
      out.set(w, count)
      this.counts.set(w, { count, at: now })
    }
    return out
  }

  /**
   * Hop 1: each linked entity's facts as subject and as object (one bounded page each). Hop 2: the IRIs those facts
   * reach (not classes, not linked entities), best hop-1 facts first, up to HOP2_NEIGHBOURS, with smaller pages.
   */
  private expand (linked: Linked[], hops: 1 | 2, question: ReadonlySet<string>, words: WordCache): { candidates: Map<string, Candidate>, capped: boolean } {
    const { store } = this.components
    const candidates = new Map<string, Candidate>()
    let capped = false
    const add = (fact: FactRecord, anchor: Linked, hop: 1 | 2, side: 'subject' | 'object'): void => {
      const key = `${fact.versionId}:${fact.leafIndex}`
      const prev = candidates.get(key)
      // Keep the closest, best-anchored way a fact was reached.
      if (prev === undefined || reachScore(anchor, hop, side) > reachScore(prev.anchor, prev.hop, prev.side)) candidates.set(key, { fact, anchor, hop, side })
    }
    const best = Math.max(0, ...linked.map((e) => e.score))
    for (const e of linked) {
      const share = e.score >= best ? 1 : SECONDARY_PAGE_SHARE
      const out = store.factsBySubject(e.iri, { limit: Math.ceil(HOP1_SUBJECT_FACTS * share) })
      const inc = store.factsByObject(e.iri, { limit: Math.ceil(HOP1_OBJECT_FACTS * share) })
      for (const f of out.items) add(f, e, 1, 'subject')
      for (const f of inc.items) add(f, e, 1, 'object')
      capped ||= out.hasMore || inc.hasMore
    }
    if (hops === 2) {
      const linkedIris = new Set(linked.map((e) => e.iri))
      const hop1 = [...candidates.values()].map((c) => ({ c, pre: reachScore(c.anchor, c.hop, c.side) + textMatch(c.fact, question, new Map(), words) }))
        .sort((a, b) => b.pre - a.pre)
      const neighbours = new Map<string, Linked>()
      for (const { c } of hop1) {
        if (neighbours.size >= HOP2_NEIGHBOURS) break
        const term = c.side === 'subject' ? c.fact.object : c.fact.subject
        if (term.termType !== 'NamedNode' || linkedIris.has(term.value) || neighbours.has(term.value)) continue
        if (c.side === 'subject' && c.fact.predicate.value === RDF_TYPE) continue
        neighbours.set(term.value, c.anchor)
      }
      for (const [iri, anchor] of neighbours) {
        const out = store.factsBySubject(iri, { limit: HOP2_SUBJECT_FACTS })
        const inc = store.factsByObject(iri, { limit: HOP2_OBJECT_FACTS })
        for (const f of out.items) add(f, anchor, 2, 'subject')
        for (const f of inc.items) add(f, anchor, 2, 'object')
      }
    }
    return { candidates, capped }
  }

  /** Score every candidate, then keep one citation per distinct triple (the best-scored; ties: newest version). */
  private rank (candidates: Map<string, Candidate>, versions: Map<number, VersionRecord>, labels: Map<string, string>, question: ReadonlySet<string>, words: WordCache): Scored[] {
    const times = new Map([...versions.values()].map((v) => [v.id, Date.parse(v.timestamp)]))
    const oldest = Math.min(...times.values())
    const span = Math.max(...times.values()) - oldest
    const best = new Map<string, Scored>()
    const stated = new Map<string, Set<number>>()
    for (const c of candidates.values()) {
      const version = versions.get(c.fact.versionId)
      if (version === undefined) continue
      const parts = {
        text: textMatch(c.fact, question, labels, words),
        entity: c.anchor.score,
        proximity: HOP_PROXIMITY[c.hop] * (c.side === 'object' ? OBJECT_SIDE_FACTOR : 1),
        label: c.hop === 1 && c.side === 'subject' && LABELS.has(c.fact.predicate.value) ? 1 : 0,
        recency: span > 0 ? ((times.get(version.id) as number) - oldest) / span : 1,
        verified: version.anchor === null ? 0 : 1
      }
      const score = WEIGHTS.text * parts.text + WEIGHTS.entity * parts.entity + WEIGHTS.proximity * parts.proximity +
        WEIGHTS.label * parts.label + WEIGHTS.recency * parts.recency + WEIGHTS.verified * parts.verified
      // Same dictionary ids = the same triple (terms are stored once), whichever asset states it.
      const triple = `${c.fact.key.s} ${c.fact.key.p} ${c.fact.key.o}`
      let versionsOf = stated.get(triple)
      if (versionsOf === undefined) stated.set(triple, versionsOf = new Set())
      versionsOf.add(version.id)
      const prev = best.get(triple)
      if (prev === undefined || score > prev.score || (score === prev.score && version.timestamp > prev.version.timestamp)) {
        best.set(triple, { fact: c.fact, anchor: c.anchor, hop: c.hop, side: c.side, triple, score, parts, version, statedBy: 0 })
      }
    }
    const ranked = [...best.values()]
    for (const s of ranked) s.statedBy = stated.get(s.triple)?.size ?? 1
    // Ties: subject, predicate, object ids, then version — deterministic for a given store.
    return ranked.sort((a, b) => b.score - a.score || a.fact.key.s - b.fact.key.s || a.fact.key.p - b.fact.key.p || a.fact.key.o - b.fact.key.o ||
      a.version.id - b.version.id)
  }

  /** Add labels (first label predicate in LABEL_PREDICATES order that has one) for the IRIs among `terms` lacking one. */
  private addLabels (labels: Map<string, string>, terms: Term[]): void {
    const wanted = [...new Set(terms.filter((t) => t.termType === 'NamedNode' && !labels.has(t.value)).map((t) => t.value))]
    for (const [iri, byPredicate] of this.components.store.literalsOf(wanted, [...LABEL_PREDICATES])) {
      const label = LABEL_PREDICATES.map((p) => byPredicate.get(p)).find((v) => v !== undefined)
      if (label !== undefined) labels.set(iri, label)
    }
  }
}

/** `[n] <subject> — <predicate local name> — <object> (source: <UAL> v<N>)`, labels where known. */
function contextLine (marker: number, s: Scored, labels: Map<string, string>): string {
  const show = (t: Term): string => {
    if (t.termType === 'Literal') {
      const flat = t.value.replace(/\s+/g, ' ').trim()
      const cut = flat.length > CONTEXT_LITERAL_CHARS ? flat.slice(0, CONTEXT_LITERAL_CHARS - 1) + '…' : flat
      return `"${cut}"${t.language === '' ? '' : `@${t.language}`}`
    }
    return labels.get(t.value) ?? t.value
  }
  return `[${marker}] ${show(s.fact.subject)} — ${localName(s.fact.predicate.value)} — ${show(s.fact.object)} (source: ${s.version.ual} v${s.version.version})`
}

/** Stemmed word sets of the texts seen in one retrieval (predicates and labels repeat across facts). */
class WordCache {
  private readonly sets = new Map<string, Set<string>>()

  of (text: string): Set<string> {
    let set = this.sets.get(text)
    if (set === undefined) this.sets.set(text, set = stemSet(text))
    return set
  }
}

/** How a fact was reached, before text: the anchor's link score and the proximity (used to pick hop-2 neighbours). */
function reachScore (anchor: Linked, hop: 1 | 2, side: 'subject' | 'object'): number {
  return WEIGHTS.entity * anchor.score + WEIGHTS.proximity * HOP_PROXIMITY[hop] * (side === 'object' ? OBJECT_SIDE_FACTOR : 1)
}

/**
 * Text match: the share of question terms found among the fact's words — its subject and object (label if known,
 * literal value, or IRI local name) and its predicate's local name, all stemmed.
 */
function textMatch (fact: FactRecord, question: ReadonlySet<string>, labels: Map<string, string>, words: WordCache): number {
  if (question.size === 0) return 0
  const text = (t: Term): string => t.termType === 'Literal' ? t.value : labels.get(t.value) ?? localName(t.value)
  const parts = [words.of(text(fact.subject)), words.of(localName(fact.predicate.value)), words.of(text(fact.object))]
  let found = 0
  for (const q of question) if (parts.some((p) => p.has(q))) found++
  return found / question.size
}

/** Labels known from the candidates themselves (label predicates with literal objects); first one wins. */
function labelsOf (candidates: Iterable<Candidate>): Map<string, string> {
  const labels = new Map<string, string>()
  for (const { fact } of candidates) {
    if (LABELS.has(fact.predicate.value) && fact.object.termType === 'Literal' && !labels.has(fact.subject.value)) labels.set(fact.subject.value, fact.object.value)
  }
  return labels
}

/** An RDF/JS term as JSON (literals always carry their datatype, and their language when tagged). */
export function termJson (t: Quad['subject'] | Quad['predicate'] | Quad['object']): TermJson {
  if (t.termType === 'Literal') {
    return { termType: 'Literal', value: t.value, datatype: t.datatype.value, ...(t.language === '' ? {} : { language: t.language }) }
  }
  return { termType: t.termType === 'BlankNode' ? 'BlankNode' : 'NamedNode', value: t.value }
}

/** The citation with `proof` left out, keys otherwise in builder order (`withProofs: false`, GraphQL `withProof: false`). */
export function withoutProof (c: Citation): ServedCitation {
  const { proof: _proof, ...rest } = c
  return rest
}

function round (n: number): number {
  return Math.round(n * 10_000) / 10_000
}
