import { describe, expect, test } from 'vitest';
import { lexBlocks } from '../../../src/markdown/block-lexer.js';
import { renderBlock } from '../../../src/markdown/block-renderer.js';
import type { RemoteImageState } from '../../../src/markdown/remote-image.js';

/** The renderer's HTML (before the sanitizer) for one paragraph of markdown, and the images it names. */
function render(markdown: string, images: ReadonlyMap<string, RemoteImageState> = new Map()) {
  const [token] = lexBlocks(markdown).tokens;
  if (!token) throw new Error('nothing lexed');
  const block = renderBlock([token], { highlighter: undefined, expanded: false, growing: false, images });
  return { html: block.html.replace(/^<p>|<\/p>\n$/g, ''), imageSources: block.imageSources };
}

const NEW_TAB = 'target="_blank" rel="noopener noreferrer"';

describe('links', () => {
  test('name their real host unless their text shows it', () => {
    expect(render('[paypal.com](https://evil.example/login "Log in")').html).toBe(
      `<a href="https://evil.example/login" title="Log in" ${NEW_TAB}>paypal.com</a>` +
        '<span class="mc-link-host"> (evil.example)</span>',
    );
    expect(render('[example.net/x](https://example.net/x) and https://example.com/a&amp;b').html).toBe(
      `<a href="https://example.net/x" ${NEW_TAB}>example.net/x</a> and ` +
        `<a href="https://example.com/a&amp;amp;b" ${NEW_TAB}>https://example.com/a&amp;amp;b</a>`,
    );
  });

  test('to anything but http(s) or mailto are their text only', () => {
    expect(render('[click **me**](javascript:alert(1)) [x](java&#115;cript:alert(1))').html).toBe(
      'click <strong>me</strong> x',
    );
  });
});

describe('images', () => {
  const URL_A = 'https://img.example/a.png';

  test('are a "Load image from host" button with their description, until the user asks', () => {
    expect(render(`![a chart](${URL_A})`)).toEqual({
      html:
        '<span class="mc-image"><button type="button" class="mc-image-placeholder" data-mc-action="load-image"' +
        ` data-mc-src="${URL_A}">Load image from img.example</button> <span class="mc-image-alt">a chart</span></span>`,
      imageSources: [URL_A],
    });
  });

  test('say they are loading, then are shown from their blob: URL, or are a link and why', () => {
    const loading = render(`![](${URL_A})`, new Map([[URL_A, { status: 'loading' }]])).html;
    expect(loading).toContain('aria-disabled="true">Loading image from img.example…</button>');
    const objectUrl = 'blob:https://app.example/1234';
    expect(render(`![A](${URL_A})`, new Map([[URL_A, { status: 'loaded', objectUrl }]])).html).toBe(
      `<img src="${objectUrl}" alt="A" referrerpolicy="no-referrer" decoding="async">`,
    );
    expect(render(`![A](${URL_A})`, new Map([[URL_A, { status: 'blocked', reason: 'not-an-image' }]])).html).toBe(
      `<span class="mc-image"><a href="${URL_A}" ${NEW_TAB}>Open image from img.example</a>` +
        '<span class="mc-image-note"> (this address is not an image)</span> <span class="mc-image-alt">A</span></span>',
    );
  });

  test('inside a link leave their alt text there and put their stand-in after the link and its host', () => {
    const { html, imageSources } = render(`[![build passing](${URL_A})](https://ci.example/run)`);
    expect(html).toMatch(
      new RegExp(
        `^<a href="https://ci.example/run" ${NEW_TAB}>build passing</a>` +
          '<span class="mc-link-host"> \\(ci.example\\)</span> <span class="mc-image"><button ',
      ),
    );
    expect(imageSources).toEqual([URL_A]);
  });

  test('with an address that is not http(s) are their description only', () => {
    expect(render('![a <b> & c](data:image/png;base64,AAAA)')).toEqual({
      html: 'a &lt;b&gt; &amp; c',
      imageSources: [],
    });
  });
});
