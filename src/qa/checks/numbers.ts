/**
 * `numbers`: a number of the source has no counterpart in the target, or the other way round.
 * Both sides are read in their own conventions (src/qa/numbers/), so `5 000 €` meets `€5,000`,
 * `XXe siècle` meets `20th century` and `années 1960` meets `the '60s`.
 */
import { en } from '../lang/en.js';
import { fr } from '../lang/fr.js';
import { extractNumbers } from '../numbers/extract.js';
import { unmatchedNumbers } from '../numbers/match.js';

export function numberMessages(source: string, target: string): string[] {
  const missing = unmatchedNumbers(extractNumbers(source, fr), extractNumbers(target, en));
  return [
    ...missing.source.map((mention) => `source number ${mention.text} missing from the target`),
    ...missing.target.map((mention) => `target number ${mention.text} not in the source`),
  ];
}
