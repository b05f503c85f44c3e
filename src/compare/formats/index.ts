import type { Comparison } from '../types.js';
import { html } from './html.js';
import { jsonl } from './jsonl.js';
import { md } from './md.js';
import { sbs } from './sbs.js';
import { tsv } from './tsv.js';
import type { CompareRenderer, CompareRenderOptions } from './types.js';

export type { CompareRenderer, CompareRenderOptions } from './types.js';

/** Every output format of `fr2en compare` by name. A new format is one file plus one line here. */
export const compareRenderers = { html, md, sbs, jsonl, tsv } as const satisfies Record<string, CompareRenderer>;

export type CompareFormat = keyof typeof compareRenderers;

export const COMPARE_FORMATS = Object.keys(compareRenderers) as CompareFormat[];

export function isCompareFormat(name: string): name is CompareFormat {
  return Object.hasOwn(compareRenderers, name);
}

export function renderComparison(comparison: Comparison, format: CompareFormat, options: CompareRenderOptions): string {
  return compareRenderers[format].render(comparison, options);
}
