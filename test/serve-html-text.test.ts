/** `format: html`: which runs of an HTML page are translated, and that everything else comes back as sent. */
import { describe, expect, it } from 'vitest';
import { joinHtml, splitHtml, textOf, type HtmlPart } from '../src/serve/html-text.js';

const translated = (html: string) =>
  splitHtml(html)
    .filter((part): part is HtmlPart & { kind: 'text' } => part.kind === 'text' && part.translate)
    .map((part) => textOf(part).core);

describe('splitHtml', () => {
  it('cuts the input into parts that rebuild it exactly', () => {
    const inputs = [
      '<!DOCTYPE html><html><head><title>T &amp; U</title></head><body><p a="1>2">x</p></body></html>',
      'plain text, no markup',
      'a < b and c > d',
      '<p>unclosed <b>bold <i>italic</p> after',
      '<p title="never closed>oops',
      '<!-- open comment',
      '<script>never closed',
      '',
    ];
    for (const input of inputs) expect(splitHtml(input).map((part) => part.raw).join('')).toBe(input);
  });

  it('translates text runs, including the title, and leaves script, style, code and opted-out elements alone', () => {
    const html =
      '<title>Le titre</title><style>p{}</style><script>var s = "<p>Non</p>";</script>' +
      '<p>Un <b>deux</b> trois</p><pre>pré</pre><code>x = 1</code><textarea>saisie</textarea>' +
      '<div translate="no">Nom <span>propre</span></div><span class="a notranslate b">Marque</span>' +
      '<p>après<br>ligne<img src="x.png" alt="Image">fin</p><svg><text>dessin</text></svg>' +
      '<p> 42 </p><p>&nbsp;</p><p>L&#39;été &eacute;</p>';
    expect(translated(html)).toEqual(['Le titre', 'Un', 'deux', 'trois', 'après', 'ligne', 'fin', "L'été é"]);
  });

  it('puts translations back with the white space around each run, escaped for HTML', () => {
    const html = '<p>\n  Le <b>chat</b>\n</p><p title="a&amp;b">  Un &amp; deux  </p>';
    const parts = splitHtml(html);
    const out = joinHtml(parts, ['The', 'cat', 'One & <two>']);
    expect(out).toBe('<p>\n  The <b>cat</b>\n</p><p title="a&amp;b">  One &amp; &lt;two&gt;  </p>');
  });

  it('runs in linear time on hostile markup', () => {
    const hostile = [
      '<a'.repeat(100_000),
      '</a'.repeat(100_000),
      '<!--'.repeat(100_000),
      `<a title="${'x'.repeat(400_000)}`,
      `<p>${' '.repeat(200_000)}a${' '.repeat(200_000)}</p>`,
      '<b>'.repeat(100_000) + 'texte' + '</b>'.repeat(100_000),
      `<p class="${'notranslate '.repeat(30_000)}">`.repeat(3),
    ];
    for (const input of hostile) {
      const started = performance.now();
      const parts = splitHtml(input);
      for (const part of parts) if (part.kind === 'text') textOf(part);
      expect(parts.map((part) => part.raw).join('')).toBe(input);
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });
});
