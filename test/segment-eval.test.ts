import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateSegmentation, goldPath, hasGold, loadGold, typographicVariant } from '../src/segment/evaluate.js';

// The gold data (UD French-GSD dev, CC BY-SA 4.0) lives next to the repository, in ../shared; CI
// outside the shared tree has none, and the measurement is skipped with a message.
const root = fileURLToPath(new URL('..', import.meta.url));
const present = hasGold(root);
if (!present) console.warn(`segment-eval skipped: ${goldPath(root)} not found (the data lives in ../shared).`);

/** The floor, in F1 percent, on the plain gold text and its typographic-space variant. */
const FLOOR_F1 = 99.5;

describe.skipIf(!present)('sentence segmentation measured on UD French-GSD dev', () => {
  const evaluations = present ? evaluateSegmentation(loadGold(goldPath(root))) : [];

  it.each(['plain', 'typographic'] as const)(`reaches ${FLOOR_F1} F1 on the %s variant and beats both baselines`, (variant) => {
    const evaluation = evaluations.find((e) => e.variant === variant);
    expect(evaluation).toBeDefined();
    const [fr2en, ...baselines] = evaluation!.scores;
    expect(fr2en.name).toBe('fr2en');
    expect(baselines.map((b) => b.name)).toEqual(["Intl.Segmenter('fr')", 'sbd']);
    expect(100 * fr2en.f1).toBeGreaterThanOrEqual(FLOOR_F1);
    for (const baseline of baselines) expect(fr2en.f1).toBeGreaterThan(baseline.f1);
  });

  it('loses nothing to French typographic spaces', () => {
    const [plain, typographic] = evaluations.map((e) => e.scores[0]);
    expect(typographic.truePositives).toBeGreaterThanOrEqual(plain.truePositives);
    expect(typographic.falsePositives).toBeLessThanOrEqual(plain.falsePositives);
  });
});

describe('gold data location', () => {
  it('resolves ../shared from the repository root and reports it missing elsewhere', () => {
    expect(goldPath('/a/repo')).toBe('/a/shared/data/segmentation/fr-dev.jsonl');
    expect(hasGold('/nonexistent/repo')).toBe(false);
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
