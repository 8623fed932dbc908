import { describe, expect, test } from 'vitest';
import { decodeReferences, escapeHtml, escapeText } from '../../../src/markdown/html-escape.js';

describe('escaping', () => {
  test('escapeHtml escapes every markup character, references included', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });

  test('escapeText keeps character references as they are', () => {
    expect(escapeText('a &amp; b &#47; &copy; & <c>')).toBe('a &amp; b &#47; &copy; &amp; &lt;c&gt;');
  });
});

describe('decodeReferences', () => {
  test('decodes numeric references and the markup ones, as the browser would in an attribute', () => {
    expect(decodeReferences('https://evil.example&#47;@paypal.com/?a=1&amp;b=2&#x26;c')).toBe(
      'https://evil.example/@paypal.com/?a=1&b=2&c',
    );
    expect(decodeReferences('&lt;&gt;&quot;&apos;')).toBe(`<>"'`);
  });

  test('a reference to no character is U+FFFD; other named references stay as written', () => {
    expect(decodeReferences('&#0;&#xD800;&#x110000;')).toBe('\uFFFD\uFFFD\uFFFD');
    expect(decodeReferences('&copy; &nope; &#x41')).toBe('&copy; &nope; &#x41');
  });
});
