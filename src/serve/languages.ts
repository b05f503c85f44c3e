/**
 * The languages this service speaks, in LibreTranslate's terms (ISO 639-1 codes), and language
 * detection for `/detect` and `source: auto`, on fr2en's own detector (src/read/language.ts).
 */
import { detectFrench } from '../read/language.js';

export const SOURCE_LANGUAGE = { code: 'fr', name: 'French' } as const;
export const TARGET_LANGUAGE = { code: 'en', name: 'English' } as const;

/** `GET /languages`: every language the service knows, with the targets it translates it into. */
export const LANGUAGES = [
  { ...SOURCE_LANGUAGE, targets: [TARGET_LANGUAGE.code] },
  { ...TARGET_LANGUAGE, targets: [] as string[] },
] as const;

/** ISO 639-3 (what franc answers) to ISO 639-1 (what LibreTranslate clients expect). */
const ISO_639_1: Readonly<Record<string, string>> = { fra: 'fr', eng: 'en', deu: 'de', spa: 'es', ita: 'it', por: 'pt', nld: 'nl', cat: 'ca' };

export interface Detection {
  /** ISO 639-1 code; `und` for source code or text in none of the candidate languages. */
  language: string;
  /**
   * 0..100, LibreTranslate's scale: how far the winner is ahead of the runner-up (detectFrench's
   * confidence x 100). 0 when the text is too short to tell; such text is taken as French.
   */
  confidence: number;
}

export function detectLanguage(text: string): Detection {
  const guess = detectFrench(text);
  const language = guess.french ? SOURCE_LANGUAGE.code : (ISO_639_1[guess.language] ?? 'und');
  return { language, confidence: Math.round(guess.confidence * 1000) / 10 };
}
