import type { AlignedParagraph, SentencePair } from '../../document.js';
import { isTranslation, qaChecks, UNTRANSLATED_FLAGS } from '../review.js';
import { pairId, paragraphId, type WriteMeta, type Writer } from './types.js';
import { buildInside, el, splitEnvelope, text, type XmlNode } from './xml.js';

const XLIFF_NS = 'urn:oasis:names:tc:xliff:document:2.0';

function envelope(meta: WriteMeta): { header: string; footer: string } {
  const units: XmlNode[] = [];
  const root = el('xliff', { xmlns: XLIFF_NS, version: '2.0', srcLang: 'fr-FR', trgLang: 'en' }, [
    // xml:space on <file> so that tools keep sentence text byte for byte.
    el('file', { id: 'f1', original: meta.file, 'xml:space': 'preserve' }, units),
  ]);
  return splitEnvelope(root, units);
}

/**
 * A segment's subState (XLIFF 2.0: `prefix:value`, and only with an explicit `state`), so a CAT
 * tool can filter on it:
 * - a pair that is no translation (`failed`, `skipped`): `fr2en:failed` / `fr2en:skipped`;
 * - a pair with quality findings: `fr2en:qa:<check>[,<check>..]`, e.g. `fr2en:qa:numbers,length`
 *   (filter on the prefix `fr2en:qa:` for every pair to review);
 * - otherwise its first flag (`fr2en:verbatim`), or none.
 */
function subState(pair: SentencePair): string | undefined {
  const untranslated = UNTRANSLATED_FLAGS.find((flag) => pair.flags.includes(flag));
  if (untranslated) return `fr2en:${untranslated}`;
  if (pair.qa.length > 0) return `fr2en:qa:${qaChecks(pair).join(',')}`;
  return pair.flags.length > 0 ? `fr2en:${pair.flags[0]}` : undefined;
}

/**
 * One `unit` per paragraph (id `p<paragraph>`), one `segment` per pair (id `p<paragraph>.s<n>`).
 * The text between two sentences of the source paragraph (usually one space) goes in an
 * `ignorable`, so the unit's source reassembles the paragraph.
 *
 * A pair that is no translation (`failed`, `skipped`: its "translation" is the source) is written
 * `state="initial"` with no `<target>`, so a CAT tool treats it as untranslated. Every other pair
 * is `state="translated"` with its target. Flags and quality findings also become unit-level
 * notes naming the segment (XLIFF 2.0 has no segment notes): `<note category="fr2en-flag">` and
 * `<note category="fr2en-qa">p2.s0: numbers: source number 3 missing from the target</note>`.
 */
function unit(paragraph: AlignedParagraph): XmlNode {
  const notes: XmlNode[] = [];
  const body: XmlNode[] = [];
  let previousEnd: number | undefined;
  for (const pair of paragraph.pairs) {
    const id = pairId(paragraph, pair.index);
    if (previousEnd !== undefined && pair.start > previousEnd) {
      const gap = paragraph.source.slice(previousEnd, pair.start);
      if (gap.length > 0) body.push(el('ignorable', {}, [el('source', {}, [text(gap)])]));
    }
    previousEnd = pair.end;
    const translated = isTranslation(pair);
    for (const flag of pair.flags) {
      notes.push(el('note', { category: 'fr2en-flag', appliesTo: translated ? 'target' : 'source' }, [text(`${id}: ${flag}`)]));
    }
    for (const finding of pair.qa) {
      notes.push(el('note', { category: 'fr2en-qa', appliesTo: 'target' }, [text(`${id}: ${finding.check}: ${finding.message}`)]));
    }
    body.push(
      el('segment', { id, state: translated ? 'translated' : 'initial', subState: subState(pair) }, [
        el('source', {}, [text(pair.source)]),
        ...(translated ? [el('target', {}, [text(pair.target)])] : []),
      ]),
    );
  }
  const children = notes.length > 0 ? [el('notes', {}, notes), ...body] : body;
  return el('unit', { id: paragraphId(paragraph), type: `fr2en:${paragraph.kind}` }, children);
}

/** XLIFF 2.0 core, `srcLang="fr-FR" trgLang="en"`. */
export const xliff: Writer = {
  name: 'xliff',
  extension: '.fr-en.xlf',
  description: 'XLIFF 2.0, one unit per paragraph and one segment per sentence',
  headerNeedsTotals: false,
  header: (meta) => envelope(meta).header,
  // XLIFF requires one segment or more per unit: a paragraph without pairs has no unit.
  paragraph: (paragraph) => (paragraph.pairs.length > 0 ? buildInside(['xliff', 'file'], [unit(paragraph)]) : ''),
  footer: (meta) => envelope(meta).footer,
};
