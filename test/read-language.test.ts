import { describe, expect, it } from 'vitest';
import { codeLikeness, detectFrench } from '../src/read/index.js';

const cases: Array<[string, string, boolean, string]> = [
  ['French prose', 'Le gouvernement a annoncé mardi une nouvelle série de mesures pour soutenir les agriculteurs touchés par la sécheresse.', true, 'fra'],
  ['French with French punctuation and a formula', 'Il est venu ; il est reparti ; personne ne l’a vu. La fonction f(x) = 2x + 1 est croissante sur [0, 1].', true, 'fra'],
  ['French with a URL', 'Plus d’informations sur https://www.example.fr/page?id=3&lang=fr', true, 'fra'],
  ['English prose', 'The government announced on Tuesday a new series of measures to support farmers affected by the drought.', false, 'eng'],
  ['German prose', 'Die Regierung hat am Dienstag eine neue Reihe von Maßnahmen zur Unterstützung der von der Dürre betroffenen Landwirte angekündigt.', false, 'deu'],
  ['Spanish prose', 'El gobierno anunció el martes una nueva serie de medidas para apoyar a los agricultores afectados por la sequía en todo el país.', false, 'spa'],
  ['JavaScript', 'function add(a, b) {\n  const sum = a + b;\n  return sum;\n}', false, 'code'],
  ['Python', 'def main():\n    for x in range(10):\n        print(x)\n    return 0', false, 'code'],
  ['one line of code', "const fs = require('node:fs');", false, 'code'],
  ['short French', 'Merci beaucoup.', true, 'und'],
  ['short title', 'Chapitre 3 : la révolution', true, 'fra'],
  ['a name', 'Jean-Pierre Dupont', true, 'und'],
  ['short but clearly English', 'What is the name of this street?', false, 'eng'],
  ['numbers only', '12 345,67 — 2024', true, 'und'],
];

describe('detectFrench', () => {
  for (const [label, text, french, language] of cases) {
    it(`${label}: ${french ? 'French' : `not French (${language})`}`, () => {
      const guess = detectFrench(text);
      expect(guess.french).toBe(french);
      expect(guess.language).toBe(language);
      expect(guess.confidence).toBeGreaterThanOrEqual(0);
      expect(guess.confidence).toBeLessThanOrEqual(1);
    });
  }

  it('treats empty text as French (nothing to flag)', () => {
    expect(detectFrench('  \n ')).toEqual({ french: true, language: 'und', confidence: 0, basis: 'empty' });
  });

  it('reads a whole document', () => {
    const doc = `${cases[0][1]}\n\n${cases[1][1]}\n\nMerci.`;
    expect(detectFrench(doc)).toMatchObject({ french: true, language: 'fra', basis: 'franc' });
  });

  it('does not take French prose with parentheses for code', () => {
    expect(codeLikeness('Le maire (élu en 2020) a déclaré : « Nous verrons. »')).toBeLessThan(0.5);
  });
});
