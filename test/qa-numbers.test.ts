import { describe, expect, it } from 'vitest';
import { checkPair, extractNumbers } from '../src/qa/index.js';
import { en } from '../src/qa/lang/en.js';
import { fr } from '../src/qa/lang/fr.js';

const numbers = (source: string, target: string): string[] =>
  checkPair(source, target, { checks: new Set(['numbers']) }).map((finding) => finding.message);

/**
 * One case per notation rule: a correct translation that must stay quiet, and the same
 * translation with the number damaged, which must be flagged with a message naming it.
 */
const NOTATIONS: ReadonlyArray<{ rule: string; source: string; target: string; broken: string; message: string }> = [
  { rule: 'thousands separated by a space', source: 'Il y avait 1 914 soldats.', target: 'There were 1,914 soldiers.', broken: 'There were 1,915 soldiers.', message: 'source number 1 914 missing from the target' },
  { rule: 'thousands separated by U+00A0', source: 'Il y avait 12\u00A0000 manifestants.', target: 'There were 12,000 protesters.', broken: 'There were 1,200 protesters.', message: 'source number 12 000 missing from the target' },
  { rule: 'thousands separated by U+202F', source: 'La ville compte 150\u202F000 habitants.', target: 'The city has 150 000 inhabitants.', broken: 'The city has 15,000 inhabitants.', message: 'source number 150 000 missing from the target' },
  { rule: 'thousands separated by a comma in English', source: 'Le navire transportait 4 200 conteneurs.', target: 'The ship carried 4,200 containers.', broken: 'The ship carried 4,300 containers.', message: 'target number 4,300 not in the source' },
  { rule: 'millions in groups of three', source: 'Le budget est de 12 500 000 euros.', target: 'The budget is 12,500,000 euros.', broken: 'The budget is 12,500 euros.', message: 'source number 12 500 000 missing from the target' },
  { rule: 'decimal comma against decimal point', source: 'Le chômage est de 7,1 %.', target: 'Unemployment is 7.1%.', broken: 'Unemployment is 7.4%.', message: 'source number 7,1 missing from the target' },
  { rule: 'thousands and decimals together', source: 'Le CAC 40 termine à 7 012,45 points.', target: 'The CAC 40 ends at 7,012.45 points.', broken: 'The CAC 40 ends at 7,012 points.', message: 'source number 7 012,45 missing from the target' },
  { rule: '% and pour cent', source: "L'action a chuté de 12 pour cent.", target: 'The share fell 12%.', broken: 'The share fell 21%.', message: 'source number 12 missing from the target' },
  { rule: '% and per cent', source: 'Le taux est de 4,5 %.', target: 'The rate is 4.5 per cent.', broken: 'The rate is 5.5 per cent.', message: 'source number 4,5 missing from the target' },
  { rule: 'currency after against before', source: 'La prime est de 5 000 €.', target: 'The bonus is €5,000.', broken: 'The bonus is €500.', message: 'source number 5 000 missing from the target' },
  { rule: 'currency written out', source: 'Le billet coûte 1,90 €.', target: 'The ticket costs 1.90 euros.', broken: 'The ticket costs 1.99 euros.', message: 'source number 1,90 missing from the target' },
  { rule: 'millions and billions in words', source: "Le chiffre d'affaires atteint 3,2 milliards d'euros.", target: 'Turnover reaches €3.2 billion.', broken: 'Turnover reaches €3.2 million.', message: 'source number 3,2 milliards missing from the target' },
  { rule: 'M€ and €m', source: 'Le transfert atteint 180 M€.', target: 'The transfer reaches €180m.', broken: 'The transfer reaches €18m.', message: 'source number 180 M missing from the target' },
  { rule: 'Md€ and bn', source: 'Le budget atteint 413 Md€.', target: 'The budget reaches €413bn.', broken: 'The budget reaches €431bn.', message: 'source number 413 Md missing from the target' },
  { rule: 'ordinal 1er', source: 'Le contrat débute le 1er janvier.', target: 'The contract starts on 1 January.', broken: 'The contract starts in January.', message: 'source number 1er missing from the target' },
  { rule: 'ordinal 1re', source: 'La joueuse est 1re mondiale.', target: 'The player is world No. 1.', broken: 'The player is world No. 2.', message: 'source number 1re missing from the target' },
  { rule: 'ordinal 2e', source: 'Il a terminé 2e du slalom.', target: 'He finished 2nd in the slalom.', broken: 'He finished 3rd in the slalom.', message: 'source number 2e missing from the target' },
  { rule: 'ordinal 2ème', source: 'Il a terminé 2ème du slalom.', target: 'He finished second in the slalom.', broken: 'He finished third in the slalom.', message: 'source number 2ème missing from the target' },
  { rule: 'ordinal 21st', source: 'Il a marqué son 21e but.', target: 'He scored his 21st goal.', broken: 'He scored his 22nd goal.', message: 'source number 21e missing from the target' },
  { rule: 'Roman century XXe siècle = 20th century', source: 'Au XXe siècle, la ville grandit.', target: 'In the 20th century, the city grew.', broken: 'In the 19th century, the city grew.', message: 'source number XXe missing from the target' },
  { rule: 'Roman century and an ordinal word', source: 'Le XIXe siècle fut industriel.', target: 'The nineteenth century was industrial.', broken: 'The eighteenth century was industrial.', message: 'source number XIXe missing from the target' },
  { rule: 'Roman regnal number', source: 'Louis XIV a régné longtemps.', target: 'Louis XIV reigned for a long time.', broken: 'Louis XV reigned for a long time.', message: 'source number XIV missing from the target' },
  { rule: 'number words 0-20', source: 'Dix-sept personnes ont été blessées.', target: 'Seventeen people were injured.', broken: 'Seven people were injured.', message: 'source number Dix-sept missing from the target' },
  { rule: 'number words against digits', source: 'Trois ministres ont démissionné.', target: '3 ministers resigned.', broken: '4 ministers resigned.', message: 'source number Trois missing from the target' },
  { rule: 'tens with et', source: 'Il avait soixante et onze ans.', target: 'He was 71 years old.', broken: 'He was 17 years old.', message: 'source number soixante et onze missing from the target' },
  { rule: 'quatre-vingt-dix', source: 'Il y a quatre-vingt-dix-sept sièges.', target: 'There are ninety-seven seats.', broken: 'There are seventy-seven seats.', message: 'source number quatre-vingt-dix-sept missing from the target' },
  { rule: 'cent/hundred and mille/thousand', source: 'Deux cent mille personnes sont venues.', target: 'Two hundred thousand people came.', broken: 'Two hundred people came.', message: 'source number Deux cent mille missing from the target' },
  { rule: 'a hundred', source: 'Cent personnes attendaient.', target: 'A hundred people were waiting.', broken: 'People were waiting.', message: 'source number Cent missing from the target' },
  { rule: 'un million', source: "Le roman s'est vendu à un million d'exemplaires.", target: 'The novel sold a million copies.', broken: 'The novel sold a thousand copies.', message: "source number un million missing from the target" },
  { rule: 'milliard = billion', source: "Deux milliards d'euros ont été investis.", target: 'Two billion euros were invested.', broken: 'Two million euros were invested.', message: 'source number Deux milliards missing from the target' },
  { rule: 'times 06h30 = 6.30', source: 'Le train de 06h30 est supprimé.', target: 'The 6.30 train is cancelled.', broken: 'The 7.30 train is cancelled.', message: 'source number 06h30 missing from the target' },
  { rule: 'times 18 h 30 = 6:30 pm', source: 'La séance reprend à 18 h 30.', target: 'The session resumes at 6:30 pm.', broken: 'The session resumes at 6:45 pm.', message: 'source number 18 h 30 missing from the target' },
  { rule: 'times 20 heures = 8 pm', source: 'Il parlera à 20 heures.', target: 'He will speak at 8 pm.', broken: 'He will speak at 9 pm.', message: 'source number 20 heures missing from the target' },
  { rule: 'times with minutes spelled out', source: 'Le TGV relie Paris à Lyon en 2 h 10.', target: 'The TGV links Paris and Lyon in 2 hours 10 minutes.', broken: 'The TGV links Paris and Lyon in 2 hours.', message: 'source number 10 missing from the target' },
  { rule: 'decades années 1960 = 1960s', source: 'La ville a grandi dans les années 1960.', target: 'The city grew in the 1960s.', broken: 'The city grew in the 1970s.', message: 'source number 1960 missing from the target' },
  { rule: "decades années 60 = '60s", source: 'Le groupe est né dans les années 60.', target: "The band was born in the '60s.", broken: "The band was born in the '80s.", message: 'source number 60 missing from the target' },
  { rule: '1800s = XIXe siècle', source: 'La gare date de la fin du XIXe siècle.', target: 'The station dates from the late 1800s.', broken: 'The station dates from the late 1900s.', message: 'source number XIXe missing from the target' },
  { rule: 'years', source: 'La tour a été achevée en 1889.', target: 'The tower was completed in 1889.', broken: 'The tower was completed in 1898.', message: 'source number 1889 missing from the target' },
  { rule: 'year ranges with two digits', source: 'La guerre de 1914-18 a marqué la région.', target: 'The war of 1914-1918 left its mark on the region.', broken: 'The war of 1914-1919 left its mark on the region.', message: 'source number 18 missing from the target' },
  { rule: 'ranges', source: 'Il faut entre 15 et 20 minutes.', target: 'It takes 15 to 20 minutes.', broken: 'It takes 15 to 25 minutes.', message: 'source number 20 missing from the target' },
  { rule: 'fractions in words', source: 'Les deux tiers des élèves ont réussi.', target: 'Two thirds of the pupils passed.', broken: 'Three thirds of the pupils passed.', message: 'source number deux missing from the target' },
  { rule: 'fractions of a second', source: 'Elle a battu le record de 12 centièmes.', target: 'She broke the record by 0.12 seconds.', broken: 'She broke the record by 0.21 seconds.', message: 'source number 12 centièmes missing from the target' },
  { rule: 'un and une are articles', source: 'Un homme et une femme marchent.', target: 'A man and a woman are walking.', broken: 'A man and a woman are walking 2 dogs.', message: 'target number 2 not in the source' },
  { rule: 'deux fois = twice', source: 'Le marché a lieu deux fois par semaine.', target: 'The market is held twice a week.', broken: 'The market is held three times a week.', message: 'source number deux missing from the target' },
  { rule: 'dates in digits and with month names', source: 'Le contrat a été signé le 14/07/2023.', target: 'The contract was signed on 14 July 2023.', broken: 'The contract was signed on 14 July 2024.', message: 'source number 2023 missing from the target' },
  { rule: 'dates with periods', source: 'Réunion le 03.05.2024 à Lyon.', target: 'Meeting on 3 May 2024 in Lyon.', broken: 'Meeting on 3 May 2025 in Lyon.', message: 'source number 03.05.2024 missing from the target' },
  { rule: 'approximations', source: 'Une dizaine de manifestants ont été blessés.', target: 'About ten protesters were injured.', broken: 'Protesters were injured.', message: 'source number dizaine missing from the target' },
  { rule: 'world wars', source: 'La Seconde Guerre mondiale a commencé en 1939.', target: 'World War II began in 1939.', broken: 'World War I began in 1939.', message: 'source number Seconde Guerre mondiale missing from the target' },
  { rule: 'knockout rounds', source: 'La France jouera les huitièmes de finale.', target: 'France will play in the round of 16.', broken: 'France will play in the round of 32.', message: 'source number huitièmes de finale missing from the target' },
];

describe('numbers: notations of both languages', () => {
  it.each(NOTATIONS)('$rule: quiet on a correct translation', ({ source, target }) => {
    expect(numbers(source, target)).toEqual([]);
  });

  it.each(NOTATIONS)('$rule: flags the damaged number', ({ source, broken, message }) => {
    expect(numbers(source, broken)).toContain(message);
  });
});

describe('numbers: words that are not counts', () => {
  it.each([
    ['Premier ministre is Prime Minister', 'Le Premier ministre est arrivé.', 'The Prime Minister has arrived.'],
    ['neuf may mean new', 'Il porte un pull neuf.', 'He is wearing a new sweater.'],
    ['both answers les deux', 'Tous les deux ont quitté le parti.', 'Both left the party.'],
    ['a couple answers deux', 'Deux hommes marchent.', 'A couple of men are walking.'],
    ['pour cent is not a hundred', 'Cinquante pour cent des votants.', 'Fifty per cent of voters.'],
    ['a name with a number word', 'Il vit à Trois-Rivières.', 'He lives in Trois-Rivières.'],
    ['a title with a number word', 'Il a lu Les Trois Mousquetaires.', 'He read The Three Musketeers.'],
    ['sept. is September', 'Réunion le 3 sept. 2023.', 'Meeting on 3 September 2023.'],
    ['quinze jours is two weeks', 'Le vote est reporté de quinze jours.', 'The vote has been postponed for two weeks.'],
    ['Roman numerals only where they count', 'Le DC-3 a volé en 1935.', 'The DC-3 flew in 1935.'],
    ['Le, Ce, De are words, not Roman numerals', 'Ce jour-là, De Gaulle parla.', 'That day, De Gaulle spoke.'],
    ['a quinquennat is a five-year term', "D'ici à la fin du quinquennat.", 'By the end of the five-year term.'],
    ['codes are compared as written', 'Version 1.2.3 sur le serveur 192.168.0.1.', 'Version 1.2.3 on server 192.168.0.1.'],
  ])('%s', (_rule, source, target) => {
    expect(numbers(source, target)).toEqual([]);
  });
});

describe('numbers: human translations that really mismatch', () => {
  // These come from real human translations (Multi30K) or mirror their mistakes. The numbers do
  // differ, so flagging them is right: a reviewer should look.
  it('flags a wrong century', () => {
    // The translator wrote the 18th century for the XIXe.
    expect(numbers('Le château date du XIXe siècle.', 'The castle dates from the 18th century.')).toEqual([
      'source number XIXe missing from the target',
      'target number 18th not in the source',
    ]);
  });

  it('flags a changed amount', () => {
    expect(numbers('La prime est de 1 500 €.', 'The bonus is €1,200.')).toEqual([
      'source number 1 500 missing from the target',
      'target number 1,200 not in the source',
    ]);
  });

  it('flags a count the human dropped (Multi30K val 961)', () => {
    // "deux équipes adverses" lost its "two".
    expect(numbers('Deux hommes de deux équipes adverses courent vers un ballon de football.', 'Two men on opposing teams race toward a soccer ball.')).toEqual([
      'source number deux missing from the target',
    ]);
  });

  it('flags a typo that lost a number (Multi30K test 623)', () => {
    // "to pink dogs" for "two pink dogs".
    expect(numbers('Une femme aux cheveux roses est penchée sur le trottoir, tenant deux chiens roses.', 'A woman with pink hair bent down on the sidewalk holding to pink dogs.')).toEqual([
      'source number deux missing from the target',
    ]);
  });

  it('counts each occurrence: two twos need two twos', () => {
    expect(numbers('Deux hommes et deux chiens.', 'Two men and dogs.')).toEqual(['source number deux missing from the target']);
  });
});

describe('extractNumbers', () => {
  const read = (text: string, lang = fr): [string, string[], boolean][] => extractNumbers(text, lang).map((m) => [m.text, m.keys, m.soft]);

  it('keeps both readings of an ambiguous group', () => {
    expect(read('1,500')).toEqual([['1,500', ['n:1500', 'n:1.5'], false]]);
    expect(read('2.000 personnes')).toEqual([['2.000', ['n:2000', 'n:2'], false]]);
  });

  it('reads a clock time as the time and its hours, and its minutes apart', () => {
    expect(read('à 18h30')).toEqual([
      ['18h30', ['t:390', 'n:18'], false],
      ['30', ['n:30'], false],
    ]);
    expect(read('at 6.30', en)).toEqual([
      ['6.30', ['n:6.3', 't:390'], false],
      ['6.30', ['n:30'], true],
    ]);
  });

  it('reads un and one as soft, deux and two as hard', () => {
    expect(read('un homme et deux femmes')).toEqual([
      ['un', ['n:1'], true],
      ['deux', ['n:2'], false],
    ]);
    expect(read('one man and two women', en)).toEqual([
      ['one', ['n:1'], true],
      ['two', ['n:2'], false],
    ]);
  });

  it('composes number words the way each language writes them', () => {
    expect(read('mille neuf cent quatre-vingt-quatre').map(([text, keys]) => [text, keys])).toEqual([['mille neuf cent quatre-vingt-quatre', ['n:1984']]]);
    expect(read('two million three hundred thousand and five', en).map(([, keys]) => keys)).toEqual([['n:2300005']]);
    expect(read('deux trois').map(([text]) => text)).toEqual(['deux', 'trois']);
  });
});
