/**
 * What a handler learned about a request, for its access-log line: sizes and counts, never
 * content. Kept beside the request (a WeakMap), so nothing outlives it.
 */
export interface RequestNotes {
  /** Texts in the request (`q` items, or 1). */
  texts?: number;
  /** Characters of text to translate. */
  chars?: number;
  /** Sentences sent to the model. */
  sentences?: number;
  /** Whether a valid API key came with it (keys themselves are never recorded). */
  authenticated?: boolean;
  /** Name of the error behind a 5xx, or `client-closed`. */
  error?: string;
}

const notes = new WeakMap<object, RequestNotes>();

export function note(request: object, fields: RequestNotes): void {
  const current = notes.get(request);
  if (current) Object.assign(current, fields);
  else notes.set(request, { ...fields });
}

export function notesOf(request: object): RequestNotes {
  return notes.get(request) ?? {};
}
