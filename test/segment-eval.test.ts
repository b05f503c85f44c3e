import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  evaluateSegmentation,
  fixtureGoldFolder,
  goldPath,
  hasGold,
  loadGoldSets,
  sharedGoldFolder,
  typographicVariant,
  type GoldSet,
} from '../src/segment/evaluate.js';

// The shared development sets (UD French-GSD dev, CC BY-SA 4.0; UD French-FQB, LGPL-LR) live next
// to the repository, in ../shared; CI outside the shared tree has none, and their measurement is
// skipped with a message. The hand-written sets in test/fixtures/segmentation are always measured.
const root = fileURLToPath(new URL('..', import.meta.url));
const present = hasGold(root);
if (!present) console.warn(`segment-eval: shared sets skipped: ${sharedGoldFolder(root)} not found (the data lives in ../shared).`);

/** The floor, in F1 percent, on every set and both variants. */
const FLOOR_F1 = 99.5;

/**
 * For each set and variant: fr2en reaches the floor and is never worse than a baseline (strictly
 * better where `strictly`), and loses nothing to French typographic spaces.
 */
function measure(sets: readonly GoldSet[], strictly: ReadonlySet<string>): void {
  it.each(sets.map((set) => [set.name, set] as const))('%s: reaches the floor on both variants and never loses to a baseline', (name, set) => {
    const evaluations = evaluateSegmentation(set.paragraphs, name);
    expect(evaluations.map((e) => e.variant)).toEqual(['plain', 'typographic']);
    for (const { scores } of evaluations) {
      const [fr2en, ...baselines] = scores;
      expect(fr2en.name).toBe('fr2en');
      expect(baselines.map((b) => b.name)).toEqual(["Intl.Segmenter('fr')", 'sbd']);
      expect(100 * fr2en.f1, `${name}: ${fr2en.errors.map((e) => e.context).join(' / ')}`).toBeGreaterThanOrEqual(FLOOR_F1);
      for (const baseline of baselines) {
        if (strictly.has(name)) expect(fr2en.f1).toBeGreaterThan(baseline.f1);
        else expect(fr2en.f1).toBeGreaterThanOrEqual(baseline.f1);
      }
    }
    const [plain, typographic] = evaluations.map((e) => e.scores[0]);
    expect(typographic.truePositives).toBeGreaterThanOrEqual(plain.truePositives);
    expect(typographic.falsePositives).toBeLessThanOrEqual(plain.falsePositives);
  });
}

describe.skipIf(!present)('sentence segmentation measured on the shared sets (GSD dev, French questions)', () => {
  const sets = present ? loadGoldSets(sharedGoldFolder(root)) : [];

  it('finds both development sets', () => {
    expect(sets.map((set) => set.name)).toEqual(expect.arrayContaining(['fr-dev', 'fr-fqb']));
  });

  measure(sets, new Set(['fr-dev', 'fr-fqb']));
});

describe('sentence segmentation measured on the hand-written sets (legal, medical, encyclopedia, regional press, web)', () => {
  const sets = loadGoldSets(fixtureGoldFolder(root));

  it('finds every hand-written set, each with real paragraphs grouped in documents', () => {
    expect(sets.map((set) => set.name)).toEqual(['encyclopedia', 'legal-eu', 'medical', 'regional-press', 'web-lowercase']);
    for (const set of sets) {
      expect(set.paragraphs.every((paragraph) => paragraph.document !== undefined)).toBe(true);
      for (const paragraph of set.paragraphs) {
        expect(paragraph.starts.map((start, index) => paragraph.text.slice(start, start + paragraph.sentences[index].length))).toEqual(paragraph.sentences);
      }
    }
  });

  measure(sets, new Set(['encyclopedia', 'legal-eu', 'medical', 'regional-press']));
});

describe('gold data location', () => {
  it('resolves ../shared from the repository root and reports it missing elsewhere', () => {
    expect(goldPath('/a/repo')).toBe('/a/shared/data/segmentation/fr-dev.jsonl');
    expect(sharedGoldFolder('/a/repo')).toBe('/a/shared/data/segmentation');
    expect(fixtureGoldFolder('/a/repo')).toBe('/a/repo/test/fixtures/segmentation');
    expect(hasGold('/nonexistent/repo')).toBe(false);
    expect(loadGoldSets('/nonexistent/repo/data')).toEqual([]);
  });
});

describe('typographic variant', () => {
  it('keeps offsets: same length, spaces replaced in place', () => {
    const text = 'Il a dit : « Oui ! » Puis ; enfin ?';
    const variant = typographicVariant(text);
    expect(variant).toBe('Il a dit\u202f: «\u00a0Oui\u202f!\u00a0» Puis\u202f; enfin\u202f?');
    expect(variant).toHaveLength(text.length);
  });
});
