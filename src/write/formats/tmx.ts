import type { AlignedParagraph, SentencePair } from '../../document.js';
import { isTranslation, UNTRANSLATED_FLAGS, type DocumentTotals } from '../review.js';
import { pairId, type WriteMeta, type Writer } from './types.js';
import { buildInside, el, splitEnvelope, text, type XmlNode } from './xml.js';

const SOURCE_LANG = 'fr-FR';
const TARGET_LANG = 'en';

function envelope(meta: WriteMeta, notes: XmlNode[]): { header: string; footer: string } {
  const body: XmlNode[] = [];
  const root = el('tmx', { version: '1.4' }, [
    el(
      'header',
      {
        creationtool: 'fr2en',
        creationtoolversion: meta.toolVersion,
        segtype: 'sentence',
        'o-tmf': 'fr2en',
        adminlang: 'en',
        srclang: SOURCE_LANG,
        datatype: 'plaintext',
        'o-encoding': 'UTF-8',
      },
      [...notes, el('prop', { type: 'x-fr2en-file' }, [text(meta.file)]), el('prop', { type: 'x-fr2en-model' }, [text(meta.model)])],
    ),
    el('body', {}, body),
  ]);
  return splitEnvelope(root, body);
}

/** The header note that says how many pairs are missing from the memory, and why. */
function leftOutNote(totals: DocumentTotals): XmlNode {
  const perFlag = UNTRANSLATED_FLAGS.map((flag) => `${flag}: ${totals.flags[flag]}`).join(', ');
  const note = `${totals.untranslated} of ${totals.pairs} sentence pairs left out as not translations (${perFlag}); the other fr2en formats keep them.`;
  return el('note', {}, [text(note)]);
}

/**
 * One `tu` per translated pair. `failed` and `skipped` pairs have the French source as their
 * target: a TM import (translate-toolkit's build_tmdb, for one) would take them as translations,
 * so they are left out and counted in the header note. Other flags are kept as
 * `<prop type="x-fr2en-flag">`, and each quality finding as `<prop type="x-fr2en-qa">` whose text is
 * `check: message`, in the tu, where CAT tools keep a unit's properties.
 */
function tu(paragraph: AlignedParagraph, pair: SentencePair): XmlNode {
  return el('tu', { tuid: pairId(paragraph, pair.index) }, [
    ...pair.flags.map((flag) => el('prop', { type: 'x-fr2en-flag' }, [text(flag)])),
    ...pair.qa.map((finding) => el('prop', { type: 'x-fr2en-qa' }, [text(`${finding.check}: ${finding.message}`)])),
    el('tuv', { 'xml:lang': SOURCE_LANG }, [el('seg', {}, [text(pair.source)])]),
    el('tuv', { 'xml:lang': TARGET_LANG }, [el('seg', {}, [text(pair.target)])]),
  ]);
}

/** TMX 1.4b, valid against the TMX 1.4 DTD; `tuid`s are the pair ids `p<paragraph>.s<sentence>`. */
export const tmx: Writer = {
  name: 'tmx',
  extension: '.fr-en.tmx',
  description: 'TMX 1.4b translation memory, one tu per translated sentence pair',
  headerNeedsTotals: true,
  header: (meta, totals) => envelope(meta, [leftOutNote(totals)]).header,
  paragraph: (paragraph) =>
    buildInside(
      ['tmx', 'body'],
      paragraph.pairs.filter(isTranslation).map((pair) => tu(paragraph, pair)),
    ),
  // The closing tags do not depend on the header's content.
  footer: (meta) => envelope(meta, []).footer,
};
