import { describe, expect, it } from 'vitest'
import { STOP_WORDS, dice, localName, questionTerms, stem, stemSet, tokens } from '../../src/rag/text.js'

describe('rag text', () => {
  it('tokenizes as the FTS5 index does: lowercase, diacritics removed, letters and digits', () => {
    expect(tokens('Who founded ACME-Rockets in 1999?')).toEqual(['who', 'founded', 'acme', 'rockets', 'in', '1999'])
    expect(tokens('Zoë Ljubljana, Škofja Loka — Straße')).toEqual(['zoe', 'ljubljana', 'skofja', 'loka', 'straße'])
    expect(tokens('  ')).toEqual([])
  })

  it('question terms drop stop words, one-letter words and repeats, keep digits, and stop at max', () => {
    expect(questionTerms('Who is the founder of ACME? Who? a 7', 8)).toEqual(['founder', 'acme', '7'])
    expect(questionTerms('alpha beta gamma delta', 2)).toEqual(['alpha', 'beta'])
    expect(STOP_WORDS.has('what')).toBe(true)
  })

  it('stems founded, founder and founding to one word and leaves short words and numbers alone', () => {
    expect(new Set(['founded', 'founder', 'founding', 'founders'].map(stem))).toEqual(new Set(['found']))
    expect(stem('cities')).toBe('city')
    expect(stem('work')).toBe('work')
    expect(stem('19999')).toBe('19999')
  })

  it('stemSet splits camelCase local names and drops stop words', () => {
    expect(stemSet('foundingDate')).toEqual(new Set(['found', 'date']))
    expect(stemSet('worksFor')).toEqual(new Set(['work']))
  })

  it('dice is 1 for equal sets, 0 for disjoint or empty ones, symmetric in between', () => {
    const a = new Set(['acme', 'rocket'])
    expect(dice(a, new Set(['rocket', 'acme']))).toBe(1)
    expect(dice(a, new Set(['bob']))).toBe(0)
    expect(dice(a, new Set())).toBe(0)
    expect(dice(a, new Set(['acme', 'found', 'x']))).toBeCloseTo(0.4)
    expect(dice(new Set(['acme', 'found', 'x']), a)).toBeCloseTo(0.4)
  })

  it('localName is the readable tail of an IRI', () => {
    expect(localName('https://schema.org/founder')).toBe('founder')
    expect(localName('http://www.w3.org/1999/02/22-rdf-syntax-ns#type')).toBe('type')
    expect(localName('https://example.org/people/')).toBe('people')
    expect(localName('urn:isbn:0451450523')).toBe('0451450523')
    expect(localName('https://example.org/caf%C3%A9')).toBe('café')
  })
})
