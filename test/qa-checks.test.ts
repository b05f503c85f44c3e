import { describe, expect, it } from 'vitest';
import { QA_CHECKS, type QaCheck } from '../src/document.js';
import { UsageError } from '../src/errors.js';
import { ALL_QA_CHECKS, checkPair, findLinks, lengthBand, parseQaChecks } from '../src/qa/index.js';

const only = (check: QaCheck) => ({ checks: new Set<QaCheck>([check]) });
const messages = (source: string, target: string, check: QaCheck): string[] =>
  checkPair(source, target, only(check)).map((finding) => finding.message);

describe('empty', () => {
  it.each(['', '   ', '\n\t', '\u200B', '\uFEFF '])('flags a blank target %j', (target) => {
    expect(checkPair('Le chat dort.', target)).toEqual([{ check: 'empty', message: 'target is empty' }]);
  });

  it('says nothing when the source is blank too', () => {
    expect(checkPair('  ', '')).toEqual([]);
  });
});

describe('untranslated', () => {
  it('flags a target that is the source', () => {
    expect(messages('Le chat dort sur le canapé.', 'Le chat dort sur le canapé.', 'untranslated')).toEqual(['target is the source, not translated']);
  });

  it('ignores case, spacing and punctuation when comparing', () => {
    expect(messages('Le chat dort « vraiment ».', 'le chat dort "vraiment"', 'untranslated')).toEqual(['target is the source, not translated']);
  });

  it.each([
    ['a name', 'Emmanuel Macron.'],
    ['a place and a year', 'Paris 2024'],
    ['a name with French particles', 'Tour de France'],
    ['an English source', 'The Guardian and the BBC.'],
  ])('does not flag %s copied unchanged', (_what, text) => {
    expect(messages(text, text, 'untranslated')).toEqual([]);
  });

  it('flags a target that is still French', () => {
    expect(messages('Le chat dort sur le canapé.', 'Le chat dort sur un canapé.', 'untranslated')).toEqual(['target is still French (le, sur, un)']);
  });

  it.each([
    ['names with particles', 'The prefect walked from the Place de la Concorde to the Rue de Rivoli with Charles de Gaulle.'],
    ['a newspaper', 'The newspaper Le Monde devoted its front page to the affair.'],
    ['a quotation', 'She sang « Non, je ne regrette rien » to a packed house.'],
    ['a straight-quoted title', 'He read "Les Misérables" and "Le Petit Prince" in one summer.'],
    ['borrowings', 'It was a fait accompli, the raison d\'être of the whole à la carte menu.'],
  ])('does not flag English with %s', (_what, target) => {
    expect(messages('Une phrase française quelconque.', target, 'untranslated')).toEqual([]);
  });
});

describe('urls', () => {
  it.each([
    ['URL', 'Voir https://www.insee.fr/fr/statistiques pour le détail.', 'https://www.insee.fr/fr/statistiques'],
    ['URL', 'Le rapport est sur www.education.gouv.fr.', 'www.education.gouv.fr'],
    ['URL', 'Les données sont sur data.gouv.fr depuis mardi.', 'data.gouv.fr'],
    ['e-mail address', 'Écrivez à contact@mairie-lyon.fr avant lundi.', 'contact@mairie-lyon.fr'],
    ['handle', 'Suivez @FranceInfo pour les résultats.', '@FranceInfo'],
    ['hashtag', 'Le mot-dièse #MeToo a été repris.', '#MeToo'],
  ])('flags a %s missing from the target', (kind, source, link) => {
    expect(messages(source, 'The translation lost it.', 'urls')).toEqual([`source ${kind} ${link} missing from the target`]);
  });

  it('is quiet when the target keeps every link, whatever punctuation follows', () => {
    const source = 'Voir https://fr.wikipedia.org/wiki/Lyon_(ville), écrire à a@b.fr ou suivre @Lyon et #Lyon2024.';
    const target = 'See https://fr.wikipedia.org/wiki/Lyon_(ville) (or write to a@b.fr), or follow @Lyon and #Lyon2024!';
    expect(messages(source, target, 'urls')).toEqual([]);
  });

  it('flags a URL the target broke with a space', () => {
    expect(messages('Voir www.lemonde.fr.', 'See www.lemonde. fr.', 'urls')).toEqual(['source URL www.lemonde.fr missing from the target']);
  });

  it('does not take ranks, C# or a missing space for links', () => {
    expect(findLinks('Il est #1 en C# et arrive en France.Le lendemain, rien.')).toEqual([]);
  });
});

describe('repetition', () => {
  it.each([
    ['the the the', 'A man in the the the park.', 'word "the" repeated 3 times in a row'],
    ['of the year', 'The prize of the year of the year of the year.', '3-word phrase "of the year" repeated 3 times in a row'],
    ['a doubled article', 'A man in the the park.', 'word "the" repeated 2 times in a row'],
    ['a phrase twice', 'The man runs in the park in the park.', '3-word phrase "in the park" repeated 2 times in a row'],
  ])('flags %s', (_what, target, message) => {
    expect(messages('Un homme court dans le parc.', target, 'repetition')).toEqual([message]);
  });

  it('allows words English doubles', () => {
    expect(messages('Il avait eu ce qu’il voulait.', 'He had had what he wanted, very very quickly.', 'repetition')).toEqual([]);
  });

  it('allows a repetition the source has', () => {
    expect(messages('Allez, allez, allez !', 'Come on, come on, come on!', 'repetition')).toEqual([]);
    expect(messages('Non, non et non.', 'No, no, no.', 'repetition')).toEqual([]);
  });
});

describe('length', () => {
  it('flags a target cut to a third', () => {
    const source = 'Le gouvernement a annoncé mardi un plan de soutien de deux milliards aux agriculteurs touchés par la sécheresse.';
    expect(messages(source, 'The government announced on Tuesday', 'length')).toEqual([
      'target is far shorter than the source: 35 characters for 112 (expected at least 54)',
    ]);
  });

  it('flags a target far longer than the source', () => {
    expect(messages('Merci à tous.', 'Thank you all very much for everything you did for us during these long difficult years.', 'length')[0]).toBe('target is far longer than the source: 88 characters for 13 (expected at most 47)');
  });

  it('widens the band for short sources, where lengths vary most', () => {
    const short = lengthBand(20);
    const long = lengthBand(200);
    expect(short.min / 20).toBeLessThan(long.min / 200);
    expect(short.max / 20).toBeGreaterThan(long.max / 200);
    // The band the README documents for a 100-character source.
    expect(lengthBand(100)).toEqual({ min: 48, max: 168 });
  });
});

describe('truncated and low-confidence take what the decoder knew', () => {
  it('flags truncated from the context', () => {
    expect(checkPair('Le chat dort.', 'The cat sleeps.', { truncated: true })).toEqual([
      { check: 'truncated', message: 'the decoder reached its token limit before the end of the sentence' },
    ]);
  });

  it('flags low confidence only once a threshold is set', () => {
    expect(checkPair('Le chat dort.', 'The cat sleeps.', { confidence: -2.5 })).toEqual([]);
    expect(checkPair('Le chat dort.', 'The cat sleeps.', { confidence: -2.5, minConfidence: -1 })).toEqual([
      { check: 'low-confidence', message: 'confidence -2.5 is below the threshold -1' },
    ]);
    expect(checkPair('Le chat dort.', 'The cat sleeps.', { confidence: -0.5, minConfidence: -1 })).toEqual([]);
  });
});

describe('checkPair', () => {
  it('returns findings in QA_CHECKS order', () => {
    const findings = checkPair('Le 3 mai, voir www.a.fr.', 'Le 4 mai mai mai', { truncated: true, confidence: -3, minConfidence: -1 });
    const order = findings.map((finding) => QA_CHECKS.indexOf(finding.check));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(findings.map((finding) => finding.check))).toEqual(new Set(['numbers', 'urls', 'repetition', 'truncated', 'low-confidence']));
  });

  it('runs only the enabled checks', () => {
    expect(checkPair('Il y a 3 chats.', 'There are 4 cats.', { checks: new Set(['urls']) })).toEqual([]);
    expect(checkPair('Il y a 3 chats.', '', { checks: new Set(['numbers']) })).toEqual([]);
  });

  it('checks 10,000 pairs in well under two seconds', () => {
    const pair = ['Le 14 juillet 2023, 1 914 policiers étaient mobilisés à Paris, selon www.interieur.gouv.fr.', 'On 14 July 2023, 1,914 police officers were deployed in Paris, according to www.interieur.gouv.fr.'] as const;
    const started = performance.now();
    for (let i = 0; i < 10_000; i++) checkPair(pair[0], pair[1]);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('parseQaChecks', () => {
  it('reads all, off and lists', () => {
    expect(parseQaChecks('all')).toBe(ALL_QA_CHECKS);
    expect(parseQaChecks('off').size).toBe(0);
    expect([...parseQaChecks('numbers, urls')]).toEqual(['numbers', 'urls']);
  });

  it('names an unknown check', () => {
    expect(() => parseQaChecks('numbers,colour')).toThrow(UsageError);
    expect(() => parseQaChecks('numbers,colour')).toThrow(/unknown check "colour"/);
    expect(() => parseQaChecks('')).toThrow(/needs a value/);
  });
});
