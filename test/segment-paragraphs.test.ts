import { describe, expect, it } from 'vitest';
import type { SourceDocument } from '../src/document.js';
import { isNonProseLine, segmentDocument, toSegmentRecords } from '../src/segment/index.js';

const kinds = (doc: SourceDocument): string[] => doc.paragraphs.map((p) => `${p.kind}: ${p.text}`);
const units = (doc: SourceDocument, index: number): Array<[string, boolean]> =>
  doc.paragraphs[index].sentences.map((s) => [s.text, s.translate]);

/** Greedy fixed-width wrapping, as `fold -s` or an editor does it. */
function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line.length > 0 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line.length > 0 ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join('\n');
}

const SEED = [
  " date 2023-03 Blinken a fait part à M. Lavrov de l'engagement des États-Unis à soutenir l'Ukraine",
  '',
  "M. Blinken a rencontré M. Lavrov pendant moins de 10 minutes en marge des discussions du Groupe des 20. Il voulait \"détromper les Russes\" sur l'Ukraine.",
  '',
  'AP Photo/Jacquelyn Martin',
  '',
  '"Nous gardons toujours l\'espoir", a déclaré le fonctionnaire.',
  '',
].join('\n');

describe('the article header', () => {
  const doc = segmentDocument(SEED, 'seed.txt');

  it("keeps 'date 2023-03' untouched as a verbatim unit and translates the title", () => {
    expect(doc.paragraphs[0].kind).toBe('header');
    expect(doc.paragraphs[0].start).toBe(1);
    expect(units(doc, 0)).toEqual([
      ['date 2023-03', false],
      ["Blinken a fait part à M. Lavrov de l'engagement des États-Unis à soutenir l'Ukraine", true],
    ]);
  });

  it("keeps 'M. Blinken a rencontré M. Lavrov ...' as one sentence", () => {
    expect(units(doc, 1)).toEqual([
      ['M. Blinken a rencontré M. Lavrov pendant moins de 10 minutes en marge des discussions du Groupe des 20.', true],
      ['Il voulait "détromper les Russes" sur l\'Ukraine.', true],
    ]);
  });

  it('makes a photo credit its own non-prose paragraph, not translated', () => {
    expect(doc.paragraphs[2].kind).toBe('non-prose');
    expect(units(doc, 2)).toEqual([['AP Photo/Jacquelyn Martin', false]]);
  });

  it('gives paragraph offsets into the document text', () => {
    for (const paragraph of doc.paragraphs) {
      expect(doc.text.slice(paragraph.start, paragraph.start + paragraph.text.length)).toBe(paragraph.text);
    }
    expect(doc.paragraphs.map((p) => p.index)).toEqual([0, 1, 2, 3]);
    expect(doc.file).toBe('seed.txt');
    expect(doc.text).toBe(SEED);
  });

  it('recognises a header only on the first line', () => {
    const later = segmentDocument('Premier paragraphe.\n\ndate 2023-03 Un titre', 'x');
    expect(later.paragraphs[1].kind).not.toBe('header');
  });

  it('keeps a header line apart from a paragraph under it', () => {
    const doc2 = segmentDocument('date 2024-01 Un titre\nLe texte commence ici.', 'x');
    expect(kinds(doc2)).toEqual(['header: date 2024-01 Un titre', 'prose: Le texte commence ici.']);
  });
});

describe('paragraphs and soft wraps', () => {
  const long =
    "Le secrétaire d'État américain Antony Blinken a rencontré brièvement jeudi à New Delhi le ministre russe des Affaires étrangères Sergueï Lavrov, le pressant de parler de l'Ukraine, lors du plus haut niveau de contact depuis la guerre.";
  const second = 'Il a également exhorté la Russie à libérer Paul Whelan, un ancien marine américain détenu depuis fin 2018, et à revenir sur sa décision.';

  it('splits paragraphs at blank lines', () => {
    const doc = segmentDocument(`${long}\n\n \n${second}\n`, 'x');
    expect(kinds(doc)).toEqual([`prose: ${long}`, `prose: ${second}`]);
  });

  it('rejoins hard-wrapped lines with one space', () => {
    const text = `${wrap(long, 72)}\n\n${wrap(second, 72)}`;
    const doc = segmentDocument(text, 'x');
    expect(doc.paragraphs.map((p) => p.text)).toEqual([long, second]);
    expect(doc.paragraphs[1].start).toBe(text.indexOf('Il a également'));
  });

  it('rejoins indented wrapped lines', () => {
    const doc = segmentDocument(wrap(long, 60).replace(/\n/g, '\n    '), 'x');
    expect(doc.paragraphs.map((p) => p.text)).toEqual([long]);
  });

  it('keeps a short title line above wrapped text as a heading', () => {
    const doc = segmentDocument(`La réaction de Moscou\n${wrap(long, 72)}`, 'x');
    expect(kinds(doc)).toEqual(['heading: La réaction de Moscou', `prose: ${long}`]);
  });

  it('keeps a short title line standing alone as a heading', () => {
    const doc = segmentDocument(`Contexte\n\n${long}`, 'x');
    expect(kinds(doc)).toEqual(['heading: Contexte', `prose: ${long}`]);
  });

  it('keeps a Markdown heading, its marker not translated', () => {
    const doc = segmentDocument(`## Les enjeux du sommet\n${long}`, 'x');
    expect(doc.paragraphs[0].kind).toBe('heading');
    expect(units(doc, 0)).toEqual([['##', false], ['Les enjeux du sommet', true]]);
  });

  it('splits unwrapped lines (one paragraph per line) at single line breaks', () => {
    const doc = segmentDocument(`${long}\n${second}`, 'x');
    expect(kinds(doc)).toEqual([`prose: ${long}`, `prose: ${second}`]);
  });

  it('splits wrapped paragraphs at a line that ends a sentence early', () => {
    const doc = segmentDocument(`${wrap(long, 72)}\n${wrap(second, 72)}`, 'x');
    expect(doc.paragraphs.map((p) => p.text)).toEqual([long, second]);
  });

  it('joins a line that continues a sentence even when it starts with a capital', () => {
    const doc = segmentDocument('Le ministre a rencontré à New Delhi son homologue\nSergueï Lavrov pendant dix minutes.', 'x');
    expect(doc.paragraphs.map((p) => p.text)).toEqual([
      'Le ministre a rencontré à New Delhi son homologue Sergueï Lavrov pendant dix minutes.',
    ]);
  });

  it('returns no paragraphs for an empty or blank document', () => {
    expect(segmentDocument('', 'x').paragraphs).toEqual([]);
    expect(segmentDocument('\n \n\n', 'x').paragraphs).toEqual([]);
  });
});

describe('lists and dialogue', () => {
  it('keeps list items as their own paragraphs, markers not translated', () => {
    const doc = segmentDocument('Les mesures :\n- la hausse des salaires ;\n- la baisse des impôts.\n• un gel des prix', 'x');
    expect(kinds(doc)).toEqual([
      'prose: Les mesures :',
      'list-item: - la hausse des salaires ;',
      'list-item: - la baisse des impôts.',
      'list-item: • un gel des prix',
    ]);
    expect(units(doc, 1)).toEqual([['-', false], ['la hausse des salaires ;', true]]);
  });

  it('keeps numbered list items', () => {
    const doc = segmentDocument('1. Ouvrir le fichier.\n2) Lire le texte.\na) Traduire.', 'x');
    expect(doc.paragraphs.map((p) => p.kind)).toEqual(['list-item', 'list-item', 'list-item']);
    expect(units(doc, 0)).toEqual([['1.', false], ['Ouvrir le fichier.', true]]);
  });

  it('joins an indented continuation line to its list item', () => {
    const doc = segmentDocument('- une première mesure qui tient\n  sur deux lignes\n- une seconde', 'x');
    expect(kinds(doc)).toEqual(['list-item: - une première mesure qui tient sur deux lignes', 'list-item: - une seconde']);
  });

  it('keeps each dialogue reply as its own paragraph', () => {
    const doc = segmentDocument('— Tu viens ? demanda-t-il.\n— Non. Je reste ici.', 'x');
    expect(kinds(doc)).toEqual(['prose: — Tu viens ? demanda-t-il.', 'prose: — Non. Je reste ici.']);
    expect(units(doc, 1)).toEqual([['— Non.', true], ['Je reste ici.', true]]);
  });
});

describe('non-prose lines', () => {
  it.each([
    'AP Photo/Jacquelyn Martin',
    'AFP/Getty Images',
    'Photo : Ludovic Marin / AFP',
    '© Reuters',
    'Crédits photo : Jean Dupont',
    'https://www.lemonde.fr/international/article/2023/03/02/blinken.html',
    'www.example.fr',
    'redaction@example.fr',
    'Par Jean Dupont',
    'Par Marie de La Tour et Paul Martin, à Kiev',
  ])('takes %j for a non-prose line', (line) => {
    expect(isNonProseLine(line)).toBe(true);
  });

  it.each([
    'Par ailleurs, le ministre a démenti.',
    'Par Jean Dupont, le ministre a été reçu à Paris pendant deux heures.',
    'Les Verts/EELV progressent',
    'Le ministre a démenti.',
    'Contexte',
  ])('takes %j for prose', (line) => {
    expect(isNonProseLine(line)).toBe(false);
  });

  it('never lets a credit or URL line run into a paragraph', () => {
    const doc = segmentDocument('Le ministre est arrivé à Delhi.\nAP Photo/Jacquelyn Martin\nhttps://example.fr/a\nIl est reparti.', 'x');
    expect(kinds(doc)).toEqual([
      'prose: Le ministre est arrivé à Delhi.',
      'non-prose: AP Photo/Jacquelyn Martin',
      'non-prose: https://example.fr/a',
      'prose: Il est reparti.',
    ]);
    expect(units(doc, 2)).toEqual([['https://example.fr/a', false]]);
  });
});

describe('segment records', () => {
  it('prints one record per paragraph with offsets into the paragraph', () => {
    const doc = segmentDocument(SEED, 'seed.txt');
    const records = toSegmentRecords(doc);
    expect(records).toHaveLength(doc.paragraphs.length);
    expect(records[0]).toEqual({
      paragraph: 0,
      start: 1,
      text: "date 2023-03 Blinken a fait part à M. Lavrov de l'engagement des États-Unis à soutenir l'Ukraine",
      sentences: [
        { start: 0, text: 'date 2023-03' },
        { start: 13, text: "Blinken a fait part à M. Lavrov de l'engagement des États-Unis à soutenir l'Ukraine" },
      ],
    });
    for (const record of records) {
      for (const sentence of record.sentences) {
        expect(record.text.slice(sentence.start, sentence.start + sentence.text.length)).toBe(sentence.text);
      }
    }
    expect(JSON.parse(JSON.stringify(records[1]))).toEqual(records[1]);
  });
});
