import { describe, expect, it } from 'vitest';
import { paragraphSentenceSpans, segmentDocument, sentenceSpans } from '../src/segment/index.js';

/** The sentences of each paragraph of a document, as `fr2en segment` finds them. */
const documentSentences = (text: string): string[][] =>
  segmentDocument(text, 'article.txt').paragraphs.map((paragraph) => paragraph.sentences.map((sentence) => sentence.text));

describe('quotations across paragraphs', () => {
  it('closes a straight quote opened in the previous paragraph after the closing quote', () => {
    const text = [
      'Le maire a pris la parole. " Cette année a été difficile pour la commune.',
      '',
      'Les inondations de janvier ont laissé des traces. " Il a ensuite remercié les pompiers.',
    ].join('\n');
    expect(documentSentences(text)).toEqual([
      ['Le maire a pris la parole.', '" Cette année a été difficile pour la commune.'],
      ['Les inondations de janvier ont laissé des traces. "', 'Il a ensuite remercié les pompiers.'],
    ]);
  });

  it('reads a quote at the start of a paragraph as the quotation reopened', () => {
    const text = [
      '" Nous avons créé ce festival en 2005, raconte Paul Jacquot. Personne n\'y croyait.',
      '',
      '" Aujourd\'hui, il attire 20 000 personnes. C\'est une fierté. " Le président est ravi.',
    ].join('\n');
    expect(documentSentences(text)).toEqual([
      ['" Nous avons créé ce festival en 2005, raconte Paul Jacquot.', "Personne n'y croyait."],
      ['" Aujourd\'hui, il attire 20 000 personnes.', 'C\'est une fierté. "', 'Le président est ravi.'],
    ]);
  });

  it('closes a guillemet opened in the previous paragraph', () => {
    const paragraphs = ["« Nous irons jusqu'au bout.", 'Rien ne nous arrêtera. » Le ministre a quitté la salle.'];
    expect(paragraphSentenceSpans(paragraphs).map((spans, index) => spans.map(({ start, end }) => paragraphs[index].slice(start, end)))).toEqual([
      ["« Nous irons jusqu'au bout."],
      ['Rien ne nous arrêtera. »', 'Le ministre a quitté la salle.'],
    ]);
    // Alone, the paragraph reads `»` as the French mark that continues a quotation.
    const alone = sentenceSpans(paragraphs[1]).map(({ start, end }) => paragraphs[1].slice(start, end));
    expect(alone).toEqual(['Rien ne nous arrêtera.', '» Le ministre a quitté la salle.']);
  });

  it('carries nothing past a heading or after balanced quotes', () => {
    const opened = '" Nous irons jusqu\'au bout.';
    const later = 'Le maire a répondu. " Cette réforme est injuste.';
    // Right after the open quotation, the quote in `later` closes it ...
    expect(documentSentences([opened, '', later].join('\n'))[1]).toEqual(['Le maire a répondu. "', 'Cette réforme est injuste.']);
    // ... but a heading cannot be inside a quotation, so after one the quote opens.
    const text = [opened, '', '# Les réactions', '', later, '', 'Il a dit "non" hier. Puis il est parti.'].join('\n');
    expect(documentSentences(text)).toEqual([
      ['" Nous irons jusqu\'au bout.'],
      ['#', 'Les réactions'],
      ['Le maire a répondu.', '" Cette réforme est injuste.'],
      ['Il a dit "non" hier.', 'Puis il est parti.'],
    ]);
  });
});
