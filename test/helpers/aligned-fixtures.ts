/**
 * Hand-built AlignedDocuments for the writer tests: a header paragraph, a heading, multi-sentence
 * prose with accents, emoji and CJK, hostile text (markup, XML breakers, control characters, lone
 * surrogates, tabs and newlines, Markdown syntax), flagged pairs (failed, verbatim, skipped),
 * and quality findings (some with hostile messages) and confidences on some pairs.
 */
import type { AlignedDocument, AlignedParagraph, PairFlag, ParagraphKind, QaFinding, SentencePair } from '../../src/document.js';
import { joinTargets } from '../../src/document.js';

/** What the translate stage adds to a pair beyond its text: quality findings and confidence. */
export interface PairExtras {
  qa?: readonly QaFinding[];
  confidence?: number;
}

/** `[source, target, flags?, extras?]`; sentences of a paragraph are joined with one space. */
export type PairSpec = readonly [source: string, target: string, flags?: readonly PairFlag[], extras?: PairExtras];

export interface ParagraphSpec {
  kind: ParagraphKind;
  pairs: readonly PairSpec[];
}

/** Builds a document whose paragraphs are separated by a blank line, with consistent offsets. */
export function alignedDocument(file: string, paragraphs: readonly ParagraphSpec[], model = 'test/opus-mt-fr-en'): AlignedDocument {
  let start = 0;
  const built: AlignedParagraph[] = paragraphs.map((spec, index) => {
    let offset = 0;
    const pairs = spec.pairs.map(([source, target, flags = [], extras = {}], pairIndex) => {
      const pair: SentencePair = { index: pairIndex, start: offset, end: offset + source.length, source, target, flags: [...flags], qa: [...(extras.qa ?? [])] };
      if (extras.confidence !== undefined) pair.confidence = extras.confidence;
      offset += source.length + 1;
      return pair;
    });
    const source = spec.pairs.map(([s]) => s).join(' ');
    const paragraph: AlignedParagraph = { index, start, kind: spec.kind, source, target: joinTargets(pairs), pairs };
    start += source.length + 2;
    return paragraph;
  });
  return { file, model, paragraphs: built };
}

export const SCRIPT_SOURCE = '<script>window.pwned=1</script>';
export const SCRIPT_TARGET = '<script>window.pwned=2</script><img src=x onerror="window.pwned=3">';
/** C0 and C1 controls, DEL, ESC sequences, U+FFFE, and lone surrogates of both halves. */
export const CONTROL_TEXT = 'Ctl:\u0000\u0001\u0007\u000B\u000C\r\u001B[31mred\u007F\u0085\u009F\uFFFE end\uD800x\uDC00y';
export const LAYOUT_TEXT = 'tab\there, line\nbreak, back\\slash \\t \\n literal';
export const MARKDOWN_TEXT = '*bold* _it_ `code` [link](javascript:alert(1)) | pipe ~~del~~ $x^2$ &amp; <b>b</b> \\|';
/** A finding message as hostile as document text: markup, XML breakers, quotes, controls, Markdown. */
export const HOSTILE_MESSAGE = 'source number 3 missing <script>window.pwned=4</script><img src=x onerror="window.pwned=5"> ]]> & \'q\' \u0000\u001B[31m | *x* `y`\ttab\nline';

export function sampleDocument(file = 'articles/le-monde.txt'): AlignedDocument {
  return alignedDocument(file, [
    {
      kind: 'header',
      pairs: [
        ['date 2023-03', 'date 2023-03', ['verbatim']],
        ['Le Monde — Économie', 'Le Monde — Economy', [], { confidence: -0.1875 }],
      ],
    },
    { kind: 'heading', pairs: [['La ville & ses « secrets »', 'The city & its "secrets"', [], { confidence: -0.0625 }]] },
    {
      kind: 'prose',
      pairs: [
        ['Le café coûte 3,50 € à Paris.', 'Coffee costs €3.50 in Paris.', [], { confidence: -0.21 }],
        ['À Tōkyō (東京), on boit du thé 🍵 avec des amis 👩‍👩‍👧.', 'In Tōkyō (東京), people drink tea 🍵 with friends 👩‍👩‍👧.', [], { confidence: -0.35 }],
        ['Fin.', 'End.'],
      ],
    },
    {
      kind: 'prose',
      pairs: [
        [`Il a écrit ${SCRIPT_SOURCE} ici.`, `He wrote ${SCRIPT_TARGET} here.`, [], { qa: [{ check: 'numbers', message: HOSTILE_MESSAGE }], confidence: -0.9 }],
        ['Attention : ]]> & "guillemets" \'apostrophes\' &lt; <!-- x -->', 'Careful: ]]> & "quotes" \'apostrophes\' &lt; <!-- x -->'],
        [CONTROL_TEXT, CONTROL_TEXT],
        [LAYOUT_TEXT, LAYOUT_TEXT],
        [
          MARKDOWN_TEXT,
          MARKDOWN_TEXT,
          [],
          {
            qa: [
              { check: 'repetition', message: '"the the the" loops ]]> <b>3</b> times | `x`' },
              { check: 'length', message: 'target 2.4 times as long as expected' },
            ],
            confidence: -1.75,
          },
        ],
      ],
    },
    {
      kind: 'prose',
      pairs: [
        ['Ce passage a résisté au modèle.', 'Ce passage a résisté au modèle.', ['failed'], { qa: [{ check: 'untranslated', message: 'the target is the source' }] }],
        ['https://example.org/a?b=1&c=2', 'https://example.org/a?b=1&c=2', ['verbatim']],
        [
          'Une phrase très longue qui doit être coupée sur plusieurs lignes dans la vue côte à côte du terminal, sans rien perdre.',
          'A very long sentence that has to be wrapped over several lines in the side-by-side terminal view, losing nothing.',
          ['split'],
          { qa: [{ check: 'length', message: 'target 0.3 times as long as expected' }], confidence: -0.5 },
        ],
      ],
    },
    { kind: 'list-item', pairs: [['— un point', '— one point', ['not-french', 'skipped']]] },
  ]);
}

/** Every pair of a document in order, with its paragraph and sentence numbers. */
export function allPairs(
  doc: AlignedDocument,
): Array<{ paragraph: number; sentence: number; source: string; target: string; flags: PairFlag[]; qa: QaFinding[]; confidence?: number }> {
  return doc.paragraphs.flatMap((p) =>
    p.pairs.map((pair) => ({
      paragraph: p.index,
      sentence: pair.index,
      source: pair.source,
      target: pair.target,
      flags: pair.flags,
      qa: pair.qa,
      ...(pair.confidence === undefined ? {} : { confidence: pair.confidence }),
    })),
  );
}

/** A long document (for streaming and the 500-paragraph HTML check). */
export function longDocument(paragraphs: number): AlignedDocument {
  return alignedDocument(
    'long.txt',
    Array.from({ length: paragraphs }, (_, i) => ({
      kind: 'prose' as const,
      pairs: [
        [`Phrase ${i} numéro un.`, `Sentence ${i} number one.`],
        [`Phrase ${i} numéro deux, un peu plus longue.`, `Sentence ${i} number two, a little longer.`],
      ],
    })),
  );
}
