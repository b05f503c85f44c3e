/**
 * `urls`: a URL, e-mail address, @handle or #hashtag of the source that the target lacks. These
 * are copied as they are by a correct translation; the model sometimes drops them, translates a
 * word inside them or breaks them with spaces.
 */

export type LinkKind = 'URL' | 'e-mail address' | 'handle' | 'hashtag';

export interface Link {
  kind: LinkKind;
  text: string;
}

/** Top-level domains that make `lemonde.fr` a web address without `www.` or a scheme. */
const BARE_DOMAIN_TLDS = [
  'fr', 'com', 'org', 'net', 'eu', 'io', 'info', 'be', 'ch', 'ca', 'uk', 'de', 'es', 'it', 'lu',
  'gov', 'edu', 'int', 'tv', 'ai', 'app', 'dev', 'co', 'news', 'paris', 'bzh', 'corsica', 're', 'nc', 'pf',
  'ma', 'tn', 'dz', 'sn', 'ci', 'cm', 'qc', 'us', 'au', 'nl', 'pt', 'pl', 'jp', 'cn', 'ru', 'br', 'in', 'me', 'ly',
];

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
const URL_WITH_SCHEME = /\b(?:https?|ftp):\/\/[^\s<>«»"“”]+|\bwww\.[^\s<>«»"“”]+/giu;
const BARE_DOMAIN = new RegExp(
  String.raw`(?<![\p{L}\p{N}@./-])(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+(?:${BARE_DOMAIN_TLDS.join('|')})(?![\p{L}\p{N}-])(?:/[^\s<>«»"“”]*)?`,
  // Case-sensitive: a lowercase top-level domain, so that a missing space (`en France.De plus`) is not a URL.
  'gu',
);
const HANDLE = /(?<![\p{L}\p{N}_@.])@[A-Za-z0-9_]{2,30}\b/gu;
/** A hashtag starts with a letter: `#1` is a rank, not a tag. */
const HASHTAG = /(?<![\p{L}\p{N}_&#])#[\p{L}_][\p{L}\p{N}_]*/gu;

/** Sentence punctuation glued to the end of a link: `(voir www.insee.fr).` */
const TRAILING = /[.,;:!?)\]}'’»”…]+$/u;

function trimLink(text: string): string {
  let trimmed = text.replace(TRAILING, '');
  // Keep a closing parenthesis that closes one inside the URL (`.../Paris_(ville)`).
  if (text.length > trimmed.length && text[trimmed.length] === ')' && trimmed.includes('(')) trimmed += ')';
  return trimmed;
}

/** The links of a text, in order of kind then position; overlapping finds are kept once. */
export function findLinks(text: string): Link[] {
  const links: Link[] = [];
  const taken: [number, number][] = [];
  const free = (start: number, end: number): boolean => taken.every(([s, e]) => end <= s || start >= e);
  const collect = (pattern: RegExp, kind: LinkKind): void => {
    for (const match of text.matchAll(pattern)) {
      const value = kind === 'URL' ? trimLink(match[0]) : match[0].replace(TRAILING, '');
      const start = match.index;
      const end = start + value.length;
      if (value.length < 3 || !free(start, end)) continue;
      taken.push([start, end]);
      links.push({ kind, text: value });
    }
  };
  collect(EMAIL, 'e-mail address');
  collect(URL_WITH_SCHEME, 'URL');
  collect(BARE_DOMAIN, 'URL');
  collect(HANDLE, 'handle');
  collect(HASHTAG, 'hashtag');
  return links;
}

/** Links of the source missing from the target: compared without case, and without a trailing slash. */
export function missingLinks(source: string, target: string): Link[] {
  const haystack = target.toLowerCase();
  return findLinks(source).filter((link) => !haystack.includes(link.text.toLowerCase().replace(/\/$/, '')));
}

export function urlMessages(source: string, target: string): string[] {
  return missingLinks(source, target).map((link) => `source ${link.kind} ${link.text} missing from the target`);
}
