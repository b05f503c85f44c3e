import type { Comparison } from '../types.js';

export interface CompareRenderOptions {
  /** Line width of `sbs` output, in terminal columns. */
  readonly width: number;
  /** ANSI colour in `sbs` output (the CLI decides: a terminal, NO_COLOR, FORCE_COLOR). */
  readonly color: boolean;
  /** fr2en's version, named in page headers. */
  readonly toolVersion: string;
}

/** One output format of `fr2en compare`: a pure function from a comparison to the file's text. */
export interface CompareRenderer {
  readonly name: string;
  /** The file written in the output folder. */
  readonly fileName: string;
  readonly description: string;
  render(comparison: Comparison, options: CompareRenderOptions): string;
}
