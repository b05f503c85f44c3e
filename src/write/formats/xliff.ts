import type { AlignedParagraph } from '../../document.js';
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
 * One `unit` per paragraph (id `p<paragraph>`), one `segment` per pair (id `p<paragraph>.s<n>`).
 * The text between two sentences of the source paragraph (usually one space) goes in an
 * `ignorable`, so the unit's source reassembles the paragraph.
 *
 * Flags: a `failed` pair is written `state="initial"` with no `<target>` (its "translation" is
 * the untranslated source, which a CAT tool should not take as done). Every other pair is
 * `state="translated"` with its target. A flagged pair also gets `subState="fr2en:<first flag>"`
 * and one unit-level `<note category="fr2en-flag">` per flag, naming the segment.
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
    const failed = pair.flags.includes('failed');
    for (const flag of pair.flags) {
      notes.push(el('note', { category: 'fr2en-flag', appliesTo: failed ? 'source' : 'target' }, [text(`${id}: ${flag}`)]));
    }
    body.push(
      el(
        'segment',
        {
          id,
          state: failed ? 'initial' : 'translated',
          subState: pair.flags.length > 0 ? `fr2en:${pair.flags[0]}` : undefined,
        },
        [
          el('source', {}, [text(pair.source)]),
          ...(failed ? [] : [el('target', {}, [text(pair.target)])]),
        ],
      ),
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
  header: (meta) => envelope(meta).header,
  // XLIFF requires one segment or more per unit: a paragraph without pairs has no unit.
  paragraph: (paragraph) => (paragraph.pairs.length > 0 ? buildInside(['xliff', 'file'], [unit(paragraph)]) : ''),
  footer: (meta) => envelope(meta).footer,
};
