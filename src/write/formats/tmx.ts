import type { AlignedParagraph, SentencePair } from '../../document.js';
import { pairId, type WriteMeta, type Writer } from './types.js';
import { buildInside, el, splitEnvelope, text, type XmlNode } from './xml.js';

const SOURCE_LANG = 'fr-FR';
const TARGET_LANG = 'en';

function envelope(meta: WriteMeta): { header: string; footer: string } {
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
      [el('prop', { type: 'x-fr2en-file' }, [text(meta.file)]), el('prop', { type: 'x-fr2en-model' }, [text(meta.model)])],
    ),
    el('body', {}, body),
  ]);
  return splitEnvelope(root, body);
}

/**
 * One `tu` per pair. Flagged pairs keep their `tu` (so the file mirrors the document) with one
 * `<prop type="x-fr2en-flag">` per flag: a TM import can filter out `failed` ones, whose target
 * is the untranslated source.
 */
function tu(paragraph: AlignedParagraph, pair: SentencePair): XmlNode {
  return el('tu', { tuid: pairId(paragraph, pair.index) }, [
    ...pair.flags.map((flag) => el('prop', { type: 'x-fr2en-flag' }, [text(flag)])),
    el('tuv', { 'xml:lang': SOURCE_LANG }, [el('seg', {}, [text(pair.source)])]),
    el('tuv', { 'xml:lang': TARGET_LANG }, [el('seg', {}, [text(pair.target)])]),
  ]);
}

/** TMX 1.4b, valid against the TMX 1.4 DTD; `tuid`s are the pair ids `p<paragraph>.s<sentence>`. */
export const tmx: Writer = {
  name: 'tmx',
  extension: '.fr-en.tmx',
  description: 'TMX 1.4b translation memory, one tu per sentence pair',
  header: (meta) => envelope(meta).header,
  paragraph: (paragraph) =>
    buildInside(
      ['tmx', 'body'],
      paragraph.pairs.map((pair) => tu(paragraph, pair)),
    ),
  footer: (meta) => envelope(meta).footer,
};
