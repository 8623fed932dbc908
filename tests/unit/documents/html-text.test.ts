import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../../src/documents/html-text.js';

describe('htmlToText', () => {
  it('keeps what a reader sees, blocks apart by a blank line (so passages cut there), and drops the rest', () => {
    const html =
      '<html><head><title>Notes</title><style>p{color:red}</style></head><body>' +
      '<h1>Heading</h1><p>One   <em>two</em>\n   three.</p><div>Four</div>' +
      '<script>alert(1)</script><!-- hidden --><template><p>never</p></template></body></html>';
    expect(htmlToText(html)).toBe('Notes\n\nHeading\n\nOne two\nthree.\n\nFour');
  });

  it('decodes named and numeric character references, and leaves unknown ones', () => {
    expect(htmlToText('a &lt; b &amp;&amp; c &#233;&#x1F600; &bogus; &#0;')).toBe('a < b && c é😀 &bogus; \ufffd');
  });

  it('reads attribute values holding ">" as part of the tag', () => {
    expect(htmlToText('<a title="x > y" href=\'javascript:alert(1)\'>link</a>')).toBe('link');
  });

  it('drops everything after an unterminated script, as a browser would', () => {
    expect(htmlToText('<p>Before</p><script>alert(1); <p>after')).toBe('Before');
  });

  it('separates table cells with tabs and keeps a stray "<" as text', () => {
    expect(htmlToText('<table><tr><td>a</td><td>b</td></tr></table><p>1 < 2</p>')).toBe('a\tb\n\n1 < 2');
  });
});
