import { describe, expect, it } from 'vitest';
import { sentenceSpans, splitSentences } from '../src/segment/index.js';

const split = (text: string): string[] => splitSentences(text).map((sentence) => sentence.text);

/** Fixture-style cases: `[name, paragraph, expected sentences]`. */
type Case = readonly [name: string, text: string, expected: readonly string[]];

const one = (text: string): readonly string[] => [text];

function runCases(cases: readonly Case[]): void {
  it.each(cases)('%s', (_name, text, expected) => {
    expect(split(text)).toEqual(expected);
  });
}

describe('titles and abbreviations', () => {
  runCases([
    ["keeps 'M. Dupont' in one sentence", 'M. Blinken a rencontré M. Lavrov pendant moins de 10 minutes.', one('M. Blinken a rencontré M. Lavrov pendant moins de 10 minutes.')],
    ["keeps 'MM.' and dotted 'Mme.', 'Mlle.' before names", 'MM. Dupont et Durand ont reçu Mme. Martin et Mlle. Petit hier. Ils ont parlé.', ['MM. Dupont et Durand ont reçu Mme. Martin et Mlle. Petit hier.', 'Ils ont parlé.']],
    ["keeps 'Mme', 'Me', 'Dr', 'Pr' without a period", 'Mme Dupont, Me Durand, le Dr Martin et le Pr Petit étaient là. La séance a commencé.', ['Mme Dupont, Me Durand, le Dr Martin et le Pr Petit étaient là.', 'La séance a commencé.']],
    ["keeps 'Dr.' and 'St.' before names", 'Le Dr. Hector Baxa vit à St. Louis. Il y enseigne.', ['Le Dr. Hector Baxa vit à St. Louis.', 'Il y enseigne.']],
    ["keeps 'av. J.-C.' mid-sentence before a name", 'En 52 av. J.-C. César achève la conquête de la Gaule.', one('En 52 av. J.-C. César achève la conquête de la Gaule.')],
    ["splits after 'J.-C.' before a sentence opener", 'Rome fut fondée en 753 av. J.-C. La légende attribue sa fondation à Romulus.', ['Rome fut fondée en 753 av. J.-C.', 'La légende attribue sa fondation à Romulus.']],
    ["keeps 'apr. J.-C.' followed by lowercase text", 'Au IIe siècle apr. J.-C., la ville prospère.', one('Au IIe siècle apr. J.-C., la ville prospère.')],
    ["keeps 'etc.' mid-sentence", 'Les pommes, les poires, etc. sont vendues au marché.', one('Les pommes, les poires, etc. sont vendues au marché.')],
    ["splits after 'etc.' before a capitalised sentence", 'On y vend des pommes, des poires, etc. Le marché ferme à midi.', ['On y vend des pommes, des poires, etc.', 'Le marché ferme à midi.']],
    ["keeps 'p. ex.', 'cf.', 'art.', 'n°', 'p.'", 'Voir p. 45, cf. art. 3 du code, p. ex. le n° 12 de la revue.', one('Voir p. 45, cf. art. 3 du code, p. ex. le n° 12 de la revue.')],
    ["keeps an abbreviated month before a year", 'Le 3 févr. 2023, il a neigé sur Paris.', one('Le 3 févr. 2023, il a neigé sur Paris.')],
    ["splits after an abbreviated month at a sentence end", 'La loi est entrée en vigueur le 3 févr. Elle a été contestée.', ['La loi est entrée en vigueur le 3 févr.', 'Elle a été contestée.']],
    ["keeps 's.' (siècle) mid-sentence", 'Au XVe s. av. J.-C., la cité était déjà puissante.', one('Au XVe s. av. J.-C., la cité était déjà puissante.')],
    ["splits after 's.' at a sentence end", 'Le château date du XIIe s. Il a été restauré en 1990.', ['Le château date du XIIe s.', 'Il a été restauré en 1990.']],
    ["splits after 'art.' used as a word", "C'est une œuvre d'art. Elle est exposée au Louvre.", ["C'est une œuvre d'art.", 'Elle est exposée au Louvre.']],
    ["splits after an abbreviation closed by a bracket", "Certains constructeurs (Gruau par ex.) Ainsi, le marché s'est ouvert.", ['Certains constructeurs (Gruau par ex.)', "Ainsi, le marché s'est ouvert."]],
    ["keeps an English title 'Mr.'", 'Selon Mr. Angel, le projet avance.', one('Selon Mr. Angel, le projet avance.')],
  ]);
});

describe('initials and acronyms', () => {
  runCases([
    ["keeps 'J.-P. Sartre' in one sentence", 'J.-P. Sartre a refusé le prix Nobel en 1964.', one('J.-P. Sartre a refusé le prix Nobel en 1964.')],
    ["keeps 'Corey S. Powell' in one sentence", "L'article de Corey S. Powell est paru hier.", one("L'article de Corey S. Powell est paru hier.")],
    ["keeps 'H.R.F. Keating' in one sentence", 'En 1987, H.R.F. Keating classa ce roman parmi les meilleurs.', one('En 1987, H.R.F. Keating classa ce roman parmi les meilleurs.')],
    ["keeps 'U.E.' and 'S.A.' mid-sentence", "L'U.E. a sanctionné la S.A. Dupont pour entente.", one("L'U.E. a sanctionné la S.A. Dupont pour entente.")],
    ["splits after an acronym before a sentence opener", "Il travaille pour l'U.E. Les autres employés aussi.", ["Il travaille pour l'U.E.", 'Les autres employés aussi.']],
    ["splits after a single capital before a sentence opener", 'Il prend de la vitamine C. Elle le protège du rhume.', ['Il prend de la vitamine C.', 'Elle le protège du rhume.']],
    ["splits after a regnal number 'I.'", 'Il régla la rencontre entre Judicaël et Dagobert I. Ils signèrent la paix.', ['Il régla la rencontre entre Judicaël et Dagobert I.', 'Ils signèrent la paix.']],
    ["keeps an initial before a number ('L. 642-3')", 'Les missions sont définies aux articles L. 642-3 et suivants.', one('Les missions sont définies aux articles L. 642-3 et suivants.')],
  ]);
});

describe('numbers', () => {
  runCases([
    ["splits after '1952.' at a sentence end", 'Il est né en 1952. Sa mère était institutrice.', ['Il est né en 1952.', 'Sa mère était institutrice.']],
    ["does not split '3,5 %' or '40 000'", 'Le taux est de 3,5 % et 40 000 personnes sont concernées.', one('Le taux est de 3,5 % et 40 000 personnes sont concernées.')],
    ["does not split '15 h 30' and splits after it", 'Rendez-vous à 15 h 30. Ne soyez pas en retard.', ['Rendez-vous à 15 h 30.', 'Ne soyez pas en retard.']],
    ["does not split '1.000' or '3.14'", 'Il a payé 1.000 euros pour 3.14 kilos.', one('Il a payé 1.000 euros pour 3.14 kilos.')],
    ['splits before a sentence that opens with a number', 'Chypre est entrée en zone euro le 1er janvier 2008. 23 épreuves figurent au programme.', ['Chypre est entrée en zone euro le 1er janvier 2008.', '23 épreuves figurent au programme.']],
  ]);
});

describe('quotes, brackets and dashes', () => {
  runCases([
    ["keeps a closing guillemet after the final punctuation ('ouvert. »')", 'Il a dit : « Le dossier reste ouvert. » Puis il est parti.', ['Il a dit : « Le dossier reste ouvert. »', 'Puis il est parti.']],
    ['keeps a closing guillemet after non-breaking spaces', 'Il a dit\u202f: «\u00a0Le dossier reste ouvert.\u00a0» Puis il est parti.', ['Il a dit\u202f: «\u00a0Le dossier reste ouvert.\u00a0»', 'Puis il est parti.']],
    ['keeps a closing straight quote after the final punctuation', 'Il a dit "Tu es une bête !" Les autres ont ri.', ['Il a dit "Tu es une bête !"', 'Les autres ont ri.']],
    ['splits before a sentence that opens with a guillemet', 'Il pleut. « Quel temps ! » dit-elle.', ['Il pleut.', '« Quel temps ! » dit-elle.']],
    ['splits before a quote glued to its first word', 'Nos sources sont formelles : " Il s\'agit de contrebandiers. "L\'affaire est close", dit-on.', ['Nos sources sont formelles : " Il s\'agit de contrebandiers.', '"L\'affaire est close", dit-on.']],
    ['splits before a sentence that opens with a parenthesis', 'Les matchs ont eu lieu. (Le dernier fut annulé.) Les universités protestent.', ['Les matchs ont eu lieu.', '(Le dernier fut annulé.)', 'Les universités protestent.']],
    ["does not split at an elision '(...)'", 'Il a dit que (...) la loi serait votée. Elle le fut.', ['Il a dit que (...) la loi serait votée.', 'Elle le fut.']],
    ["splits before an elision '(...)' opening a sentence", 'Ils disputèrent 42 matchs. (...) Les universités protestent.', ['Ils disputèrent 42 matchs.', '(...) Les universités protestent.']],
    ["keeps '?' inside a quotation that does not end the sentence", '« Pourquoi ? » demanda-t-il. Personne ne répondit.', ['« Pourquoi ? » demanda-t-il.', 'Personne ne répondit.']],
    ["keeps '!' inside a quotation that does not end the sentence", "Il a crié « Au secours ! » avant de s'enfuir.", one("Il a crié « Au secours ! » avant de s'enfuir.")],
    ["keeps 'à' after a quoted exclamation", 'Ils ont crié « Assassins ! » à plusieurs reprises.', one('Ils ont crié « Assassins ! » à plusieurs reprises.')],
    ["keeps '?' followed by a comma after the quotation", '« Que faire ? », se demande-t-il.', one('« Que faire ? », se demande-t-il.')],
    ['splits dialogue dashes', '— Tu viens ? — Non, je reste ici. — Comme tu veux.', ['— Tu viens ?', '— Non, je reste ici.', '— Comme tu veux.']],
    ['does not split at an exclamation between parenthetical dashes', 'Il est venu – enfin ! – hier soir.', one('Il est venu – enfin ! – hier soir.')],
    ["starts a sentence at a '»' that continues a quotation", "Le son passe par des pilotes. » Déjà, au mois d'avril, il l'avait dit.", ['Le son passe par des pilotes.', "» Déjà, au mois d'avril, il l'avait dit."]],
  ]);
});

describe('question marks, exclamations and ellipses', () => {
  runCases([
    ['splits after a question mark before a capital', 'Mais comment faire ? Les chercheurs hésitent.', ['Mais comment faire ?', 'Les chercheurs hésitent.']],
    ['splits after a question mark with a narrow no-break space', 'Vraiment\u202f? Oui\u00a0! Tout à fait.', ['Vraiment\u202f?', 'Oui\u00a0!', 'Tout à fait.']],
    ["does not split '?' before lowercase", "Qu'as-tu fait ? demanda-t-il.", one("Qu'as-tu fait ? demanda-t-il.")],
    ["splits after '...' before a capital", 'Il hésita... Puis il partit.', ['Il hésita...', 'Puis il partit.']],
    ["splits after '…' before a capital", 'Il hésita… Puis il partit.', ['Il hésita…', 'Puis il partit.']],
    ["does not split '…' before lowercase", 'Il hésita… puis partit sans un mot.', one('Il hésita… puis partit sans un mot.')],
    ["splits after mixed punctuation '?...' and '!..'", "Vous êtes égarés ?... Il reçut une lettre. C'est une chambre d'hôtes !.. Merci.", ['Vous êtes égarés ?...', 'Il reçut une lettre.', "C'est une chambre d'hôtes !..", 'Merci.']],
    ['splits a careless lowercase sentence start after a full word', "C'est un amphibien de la famille des Hylidae. il ne vit qu'au Brésil.", ["C'est un amphibien de la famille des Hylidae.", "il ne vit qu'au Brésil."]],
    ['does not split an unknown abbreviation before lowercase', 'Il faut compter approx. trois heures et env. deux euros.', one('Il faut compter approx. trois heures et env. deux euros.')],
  ]);
});

describe('sentences written without a capital', () => {
  runCases([
    ['splits before a lowercase sentence after a closing bracket', "« Auteur original » désigne la personne qui a créé l'Œuvre (telle que définie ci-après). la ou les personnes qui exercent ces droits sont dénommées « Vous ».", ["« Auteur original » désigne la personne qui a créé l'Œuvre (telle que définie ci-après).", 'la ou les personnes qui exercent ces droits sont dénommées « Vous ».']],
    ['splits list fragments after a full word', 'Effets fréquents : fatigue ou pâleur. saignements, notamment des hématomes. nausées.', ['Effets fréquents : fatigue ou pâleur.', 'saignements, notamment des hématomes.', 'nausées.']],
    ["splits before 'à' written for 'À'", "Ce rapport arrive à un moment crucial pour l'Union. à l'heure où les citoyens doutent, il faut agir.", ["Ce rapport arrive à un moment crucial pour l'Union.", "à l'heure où les citoyens doutent, il faut agir."]],
    ["splits before 'à' after a time", "La réunion débute à 20 h. à l'ordre du jour figure le budget.", ['La réunion débute à 20 h.', "à l'ordre du jour figure le budget."]],
    ['splits before a pronoun after an abbreviation that may end a sentence', 'Le château date du XIIe s. il a été restauré en 1990.', ['Le château date du XIIe s.', 'il a été restauré en 1990.']],
    ['splits a short review written without capitals', 'le service est top. je recommande.', ['le service est top.', 'je recommande.']],
    ['splits before a lowercase list marker', 'a. « Œuvre » désigne une création indépendante. b. « Licence » désigne le présent contrat.', ['a. « Œuvre » désigne une création indépendante.', 'b. « Licence » désigne le présent contrat.']],
    ['keeps a list marker with its item', '1. Définitions', one('1. Définitions')],
    ["splits a question before 'à' written for 'À'", "Puis-je bénéficier d'une aide au logement ? à combien s'élève mon aide ?", ["Puis-je bénéficier d'une aide au logement ?", "à combien s'élève mon aide ?"]],
    ['splits a question before a lowercase interrogative', 'Quel est le problème ? pourquoi ne pas le dire ?', ['Quel est le problème ?', 'pourquoi ne pas le dire ?']],
    ['splits a question before any lowercase word', "Quel est l'inventaire des caractères ? mo est l'abréviation de quel État ?", ["Quel est l'inventaire des caractères ?", "mo est l'abréviation de quel État ?"]],
    ['keeps an answer after a question in the same sentence', 'Vacances ? connaît pas, plaisante-t-elle.', one('Vacances ? connaît pas, plaisante-t-elle.')],
    ['keeps a speech verb after a question', 'Vraiment ? lance le maire. Personne ne répond.', ['Vraiment ? lance le maire.', 'Personne ne répond.']],
    ['keeps a conjunction after a question', 'Tu viens ? et puis on verra.', one('Tu viens ? et puis on verra.')],
    ["splits an exclamation before a lowercase pronoun", 'Vous venez ! on part dans cinq minutes.', ['Vous venez !', 'on part dans cinq minutes.']],
    ["keeps the rest of an interjection after '!'", 'Hélas ! il était trop tard.', one('Hélas ! il était trop tard.')],
    ["keeps a speech tag after a quoted question", '« Pourquoi ? » s\'interroge le maire. Personne ne sait.', ['« Pourquoi ? » s\'interroge le maire.', 'Personne ne sait.']],
    ["keeps a speech tag after a quotation that ends with its period", "« C'est fini. » a-t-il conclu.", one("« C'est fini. » a-t-il conclu.")],
    ['splits any lowercase start when the writer does not capitalise', "bonjour, ma chaudière se coupe au bout de 5 min. le voyant clignote. quelqu'un a une idée ? merci d'avance.", ['bonjour, ma chaudière se coupe au bout de 5 min.', 'le voyant clignote.', "quelqu'un a une idée ?", "merci d'avance."]],
    ['does not read a name with inner capitals as a lowercase writer', "eBay a vendu 3 000 objets en 5 min. le record date de 2019.", one("eBay a vendu 3 000 objets en 5 min. le record date de 2019.")],
  ]);
});

describe('abbreviations before lowercase words (traps)', () => {
  runCases([
    ["keeps 'p. ex. la', 'av. la' and 'env. la'", "Il faut env. la moitié du temps, av. la fin du mois, p. ex. la première semaine.", one("Il faut env. la moitié du temps, av. la fin du mois, p. ex. la première semaine.")],
    ["keeps 'M. le maire'", 'La séance était présidée par M. le maire, Jean Dupont. Elle a duré deux heures.', ['La séance était présidée par M. le maire, Jean Dupont.', 'Elle a duré deux heures.']],
    ["keeps 'etc. et'", 'On y vend des pommes, des poires, etc. et quelques noix.', one('On y vend des pommes, des poires, etc. et quelques noix.')],
    ["keeps 'art. 3' and 'les art. 1134 et 1147'", "Il invoque l'art. 3 et les art. 1134 et 1147 du code civil.", one("Il invoque l'art. 3 et les art. 1134 et 1147 du code civil.")],
    ["keeps '10 mm. la' (a unit may be abbreviated mid-sentence)", 'Une incision de 10 mm. la plaie est ensuite suturée.', one('Une incision de 10 mm. la plaie est ensuite suturée.')],
    ["keeps an abbreviated month before 'à'", 'Prochain match samedi 14 sept. à 19 h à Sochaux.', one('Prochain match samedi 14 sept. à 19 h à Sochaux.')],
    ['keeps an abbreviation closed by a bracket before lowercase', 'Le chargeur est un peu court (1 m.) et chauffe un peu.', one('Le chargeur est un peu court (1 m.) et chauffe un peu.')],
    ["keeps 'c.-à-d.' before lowercase", 'Les PME, c.-à-d. celles de moins de 250 salariés, sont exemptées.', one('Les PME, c.-à-d. celles de moins de 250 salariés, sont exemptées.')],
    ["keeps lowercase civilities 'mm.' and 'mme.' before names", 'Étaient présents mm. Dupont et Durand, et mme. Martin. La séance est ouverte.', ['Étaient présents mm. Dupont et Durand, et mme. Martin.', 'La séance est ouverte.']],
    ["keeps law-report abbreviations ('Cass. civ. 1re', 'Bull. civ. IV', 'c. France')", "Voir Cass. civ. 1re, 12 mai 2010, Bull. civ. I, n° 12, et l'affaire Dupuis c. France.", one("Voir Cass. civ. 1re, 12 mai 2010, Bull. civ. I, n° 12, et l'affaire Dupuis c. France.")],
    ["keeps 'juill.' and 'rééd.' before a year", 'Il est sacré le 17 juill. 1429 (rééd. 2006).', one('Il est sacré le 17 juill. 1429 (rééd. 2006).')],
    ['does not split inside brackets', "Une étude l'a montré (Smith et al., Toxicol. Sci. 2015 ; voir D. Arasse, Léonard de Vinci. Le rythme du monde, 1997). Elle est citée.", ["Une étude l'a montré (Smith et al., Toxicol. Sci. 2015 ; voir D. Arasse, Léonard de Vinci. Le rythme du monde, 1997).", 'Elle est citée.']],
    ["does not read the acronym 'CE' as the opener 'Ce'", 'Voir les obs. ss. CE, 19 juin 2020.', one('Voir les obs. ss. CE, 19 juin 2020.')],
    ['splits after an unclosed bracket', 'Voir le site (www.exemple.fr. Il est gratuit.', ['Voir le site (www.exemple.fr.', 'Il est gratuit.']],
  ]);
});

describe('units and names', () => {
  runCases([
    ['splits after a one-letter unit after a number', 'Il permet le passage de convois de 3 200 t. Le trafic atteint 10 millions de tonnes.', ['Il permet le passage de convois de 3 200 t.', 'Le trafic atteint 10 millions de tonnes.']],
    ["splits after 'hab.' after a number before any capital", 'Elle compte 105 000 hab. Ancienne capitale ducale, elle attire les touristes.', ['Elle compte 105 000 hab.', 'Ancienne capitale ducale, elle attire les touristes.']],
    ["keeps a name written with '!' ('Yahoo! Actualités')", 'Le site Yahoo! Actualités a fermé en 2021.', one('Le site Yahoo! Actualités a fermé en 2021.')],
    ["splits after a name written with '!' before a sentence opener", 'Verizon a racheté Yahoo! Le groupe a payé 4,5 milliards.', ['Verizon a racheté Yahoo!', 'Le groupe a payé 4,5 milliards.']],
  ]);
});

describe('straight quotes whose pair is outside the paragraph', () => {
  runCases([
    ['closes a quote opened earlier when the spacing says so', 'Tu es une bête ! " Les serveurs sont là. Il répond à la question "que faire ?"', ['Tu es une bête ! "', 'Les serveurs sont là.', 'Il répond à la question "que faire ?"']],
    ['closes a quote opened earlier when the speech is before it', 'Mais nous avons tenu bon, grâce à vous. " Il a ensuite remercié les pompiers.', ['Mais nous avons tenu bon, grâce à vous. "', 'Il a ensuite remercié les pompiers.']],
    ['opens a quote that runs into the next paragraph', 'Le maire a pris la parole. " Nous avons tenu bon.', ['Le maire a pris la parole.', '" Nous avons tenu bon.']],
    ['closes a quote glued to the final punctuation', 'Aujourd\'hui, je ne regrette rien." Ses clients sont ravis.', ['Aujourd\'hui, je ne regrette rien."', 'Ses clients sont ravis.']],
  ]);
});

describe('URLs and e-mail addresses', () => {
  runCases([
    ['does not split inside a URL', "Consultez https://www.example.fr/page.html?id=3&x=1 pour plus d'informations. Écrivez-nous.", ["Consultez https://www.example.fr/page.html?id=3&x=1 pour plus d'informations.", 'Écrivez-nous.']],
    ['splits after a URL ending a sentence', 'Le site est www.lemonde.fr. Il est gratuit.', ['Le site est www.lemonde.fr.', 'Il est gratuit.']],
    ['does not split inside an e-mail address', 'Écrivez à jean.dupont@example.fr. Nous répondrons vite.', ['Écrivez à jean.dupont@example.fr.', 'Nous répondrons vite.']],
  ]);

  it('marks a bare URL unit as not translated', () => {
    expect(splitSentences('https://www.example.fr/article?id=3')).toEqual([
      { start: 0, end: 35, text: 'https://www.example.fr/article?id=3', translate: false },
    ]);
  });
});

describe('offsets and coverage', () => {
  it('gives offsets into the paragraph, without the whitespace between sentences', () => {
    const text = '  Il pleut.   Il vente !\tIl neige.  ';
    expect(splitSentences(text)).toEqual([
      { start: 2, end: 11, text: 'Il pleut.', translate: true },
      { start: 14, end: 24, text: 'Il vente !', translate: true },
      { start: 25, end: 34, text: 'Il neige.', translate: true },
    ]);
  });

  it('returns nothing for an empty or blank paragraph', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences(' \n\t ')).toEqual([]);
  });

  it('keeps a paragraph without final punctuation as one sentence', () => {
    expect(split('Un titre sans point')).toEqual(['Un titre sans point']);
  });

  // Property-style: for many generated paragraphs, the sentences with the original gaps give the
  // paragraph back, every gap is whitespace, and no sentence has surrounding whitespace.
  const pieces = [
    'M.', 'Mme', 'Dupont', 'a', 'dit', '.', '?', '!', '...', '…', '«', '»', '"', '(', ')', '—', 'etc.',
    'J.-C.', 'av.', 'U.E.', 'Il', 'elle', '1952.', '3,5', '%', ':', ';', 'https://x.fr/a?b=1', 'Le',
    'p.', 'ex.', 'S.', 'la', 'vie', ',', '\u00a0', '\u202f', '\n', '  ', 'www.a.fr.', '»,', '(...)',
  ];
  function* paragraphs(count: number): Generator<string> {
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let index = 0; index < count; index++) {
      const length = 1 + random(40);
      let text = '';
      for (let word = 0; word < length; word++) text += pieces[random(pieces.length)] + (random(4) === 0 ? '' : ' ');
      yield text;
    }
  }

  it('rebuilds every paragraph from its sentences and the gaps between them', () => {
    for (const text of paragraphs(3000)) {
      const sentences = splitSentences(text);
      let rebuilt = '';
      let cursor = 0;
      for (const sentence of sentences) {
        expect(sentence.start).toBeGreaterThanOrEqual(cursor);
        const gap = text.slice(cursor, sentence.start);
        expect(gap.trim()).toBe('');
        expect(sentence.text).toBe(text.slice(sentence.start, sentence.end));
        expect(sentence.text).toBe(sentence.text.trim());
        expect(sentence.text.length).toBeGreaterThan(0);
        rebuilt += gap + sentence.text;
        cursor = sentence.end;
      }
      expect(text.slice(cursor).trim()).toBe('');
      rebuilt += text.slice(cursor);
      expect(rebuilt).toBe(text);
    }
  });
});

describe('performance', () => {
  const timed = (text: string): number => {
    const began = performance.now();
    sentenceSpans(text);
    return performance.now() - began;
  };

  it('segments a 100 kB paragraph without punctuation fast, as one sentence', () => {
    const text = 'mot '.repeat(25_000);
    expect(sentenceSpans(text)).toHaveLength(1);
    expect(timed(text)).toBeLessThan(500);
  });

  it.each([
    ['periods without spaces', 'a.'.repeat(50_000)],
    ['abbreviations', 'M. '.repeat(33_000)],
    ['sentences', 'Il pleut. '.repeat(10_000)],
    ['quotes', '« a. » "b." '.repeat(9_000)],
    ['odd straight quotes', '" a. " b. "'.repeat(9_000)],
    ['lowercase questions', 'a ? mo '.repeat(15_000)],
    ['unclosed brackets', '( a. b '.repeat(15_000)],
    ['lowercase sentences', 'bonjour. le x. '.repeat(7_000)],
    ['one long token', 'x'.repeat(100_000) + '. Fin.'],
    ['spaces', ' '.repeat(100_000) + '. A'],
  ])('stays linear on 100 kB of %s', (_name, text) => {
    expect(timed(text)).toBeLessThan(500);
  });
});
