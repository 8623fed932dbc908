import axe from 'axe-core';
import type { TrustedTypesWindow } from 'trusted-types/lib';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import '../../../src/components/mc-markdown.js';
import '../../../src/styles/tokens.css';
import type { McMarkdown } from '../../../src/components/mc-markdown.js';
import { LIMITS, sanitizeHtml, type RemoteImageLoader, type RemoteImageOutcome } from '../../../src/markdown/index.js';
import { assertInert } from '../../fixtures/assert-inert.js';

afterEach(() => {
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

async function show(text: string): Promise<McMarkdown> {
  const element = document.createElement('mc-markdown');
  element.text = text;
  document.body.append(element);
  await element.updateComplete;
  return element;
}

function inside(element: McMarkdown): ShadowRoot {
  if (!element.shadowRoot) throw new Error('mc-markdown has no shadow root');
  return element.shadowRoot;
}

describe('<mc-markdown> shows the markdown a user expects', () => {
  test('headings, emphasis, strikethrough and inline code', async () => {
    const element = await show('# Title\n\n## Part two\n\nSome *em*, **strong**, ~~gone~~ and `x = 1`.');
    await expect.element(page.getByRole('heading', { level: 1, name: 'Title' })).toBeVisible();
    await expect.element(page.getByRole('heading', { level: 2, name: 'Part two' })).toBeVisible();
    const paragraph = inside(element).querySelector('p');
    expect(paragraph?.querySelector('em')?.textContent).toBe('em');
    expect(paragraph?.querySelector('strong')?.textContent).toBe('strong');
    expect(paragraph?.querySelector('del')?.textContent).toBe('gone');
    expect(paragraph?.querySelector('code')?.textContent).toBe('x = 1');
    assertInert(element);
  });

  test('ordered and nested lists', async () => {
    const element = await show('3. three\n4. four\n   - nested a\n   - nested b');
    const ordered = inside(element).querySelector('ol');
    expect(ordered?.getAttribute('start')).toBe('3');
    expect(page.getByRole('listitem').elements()).toHaveLength(4);
    expect(ordered?.querySelectorAll('ul > li')).toHaveLength(2);
  });

  test('task lists as checkboxes that say whether each task is done, and are not form controls', async () => {
    const element = await show('- [x] write **tests**\n- [ ] ship');
    await expect.element(page.getByRole('checkbox', { name: 'write tests', checked: true })).toBeInTheDocument();
    await expect.element(page.getByRole('checkbox', { name: 'ship', checked: false })).toBeInTheDocument();
    expect(inside(element).querySelector('input')).toBeNull();
    assertInert(element);
  });

  test('tables with header cells and alignment', async () => {
    const element = await show('| Name | Score |\n|:-----|------:|\n| Ada | 10 |\n| Linus | 7 |');
    await expect.element(page.getByRole('table')).toBeVisible();
    const headers = [...inside(element).querySelectorAll('thead th')];
    expect(headers.map((header) => [header.textContent, header.getAttribute('align')])).toEqual([
      ['Name', 'left'],
      ['Score', 'right'],
    ]);
    await expect.element(page.getByRole('cell', { name: 'Linus' })).toBeVisible();
    expect(page.getByRole('row').elements()).toHaveLength(3);
  });

  test('quotes', async () => {
    const element = await show('> Quoted wisdom\n> on two lines');
    expect(inside(element).querySelector('blockquote')?.textContent?.trim()).toBe('Quoted wisdom\non two lines');
  });

  test('raw HTML in a reply is shown as text, never made live', async () => {
    const element = await show('Use <b>bold</b> tags.\n\n<div class="x">\n  <p>block</p>\n</div>');
    expect(inside(element).querySelector('b')).toBeNull();
    expect(inside(element).textContent).toContain('Use <b>bold</b> tags.');
    expect(inside(element).textContent).toContain('<div class="x">\n  <p>block</p>\n</div>');
  });
});

describe('links', () => {
  test('open in a new tab without referrer and show their real host next to the text', async () => {
    const element = await show('Read [the guide](https://docs.example.com/guide?x=1).');
    const link = page.getByRole('link', { name: 'the guide' });
    await expect.element(link).toHaveAttribute('href', 'https://docs.example.com/guide?x=1');
    await expect.element(link).toHaveAttribute('target', '_blank');
    await expect.element(link).toHaveAttribute('rel', 'noopener noreferrer');
    expect(inside(element).querySelector('p')?.textContent).toBe('Read the guide (docs.example.com).');
  });

  test('a link whose text names another site shows where it really goes', async () => {
    const element = await show(
      '[paypal.com](https://evil.example/login) and [https://paypal.com@evil.example](https://paypal.com@evil.example)',
    );
    expect(inside(element).querySelector('p')?.textContent).toBe(
      'paypal.com (evil.example) and https://paypal.com@evil.example (evil.example)',
    );
  });

  test('no host is repeated when the text already shows it', async () => {
    const element = await show(
      'See https://example.com/page and <https://example.org> or [example.net/x](https://example.net/x).',
    );
    expect(inside(element).querySelectorAll('.mc-link-host')).toHaveLength(0);
    expect(page.getByRole('link').elements()).toHaveLength(3);
  });

  test('mail links show the address', async () => {
    const element = await show('[write to us](mailto:team@example.com)');
    await expect
      .element(page.getByRole('link', { name: 'write to us' }))
      .toHaveAttribute('href', 'mailto:team@example.com');
    expect(inside(element).textContent).toContain('write to us (team@example.com)');
  });

  test('a link with a script scheme is plain text', async () => {
    const element = await show('[click](javascript:alert(1)) [data](data:text/html,x)');
    expect(page.getByRole('link').elements()).toHaveLength(0);
    expect(inside(element).querySelector('p')?.textContent).toBe('click data');
  });

  test('a character reference in a destination is decoded before the link is checked and its host named', async () => {
    const element = await show('[pay](https://evil.example&#47;@paypal.com/) or [q](https://a.example/?x=1&amp;y=2)');
    const links = [...inside(element).querySelectorAll('a')];
    expect(links.map((link) => link.getAttribute('href'))).toEqual([
      'https://evil.example/@paypal.com/',
      'https://a.example/?x=1&y=2',
    ]);
    expect(inside(element).querySelector('p')?.textContent).toBe('pay (evil.example) or q (a.example)');
  });

  test('the images of one link get their buttons after it, in order', async () => {
    const element = await show(
      '[![one](https://one.example/1.png) ![two](https://two.example/2.png)](https://ci.example/)',
    );
    expect(inside(element).querySelector('p')?.textContent).toBe(
      'one two (ci.example) Load image from one.example one Load image from two.example two',
    );
  });

  test('reference-style links resolve, even to a definition further down', async () => {
    await show('See [the spec][spec].\n\n[spec]: https://spec.example/ "The spec"');
    await expect.element(page.getByRole('link', { name: 'the spec' })).toHaveAttribute('href', 'https://spec.example/');
  });
});

describe('images', () => {
  /** An image the test server really serves, from this page's own origin. */
  const IMAGE = `${location.origin}/pwa-192x192.png`;

  function loadButton(host = location.host) {
    return page.getByRole('button', { name: `Load image from ${host}` });
  }

  test('are a "Load image from host" button until the user asks; then the image is fetched and shown from a blob: URL', async () => {
    const element = await show(`Look: ![a cat](${IMAGE} "Cat")`);
    expect(inside(element).querySelector('img')).toBeNull();
    assertInert(element);
    await expect.element(loadButton()).toBeVisible();
    expect(inside(element).textContent).toContain('a cat');

    await userEvent.click(loadButton());
    await expect.poll(() => inside(element).querySelector('img')).not.toBeNull();
    const image = inside(element).querySelector('img')!;
    const source = image.getAttribute('src') ?? '';
    expect(source).toMatch(/^blob:/);
    await image.decode();
    expect(image.naturalWidth).toBe(192);
    expect(image.getAttribute('alt')).toBe('a cat');
    expect(image.hasAttribute('srcset')).toBe(false);
    assertInert(element, { loadedImages: [source] });
    expect(page.getByRole('button', { name: /Load image/ }).elements()).toHaveLength(0);
    await expect.poll(() => inside(element).querySelector('[aria-live]')?.textContent).toBe('Image loaded.');
  });

  test('are fetched without cookies or Referer, and say they are loading until they arrive', async () => {
    let arrive: (outcome: RemoteImageOutcome) => void = () => undefined;
    const loader = vi.fn<RemoteImageLoader>(() => new Promise((resolve) => (arrive = resolve)));
    const element = await show(`![chart](https://img.example/chart.png)`);
    element.imageLoader = loader;
    await userEvent.click(loadButton('img.example'));
    await expect.element(page.getByRole('button', { name: 'Loading image from img.example…' })).toBeVisible();
    expect(loader).toHaveBeenCalledTimes(1);
    expect(loader.mock.calls[0]?.[0].href).toBe('https://img.example/chart.png');

    arrive({ ok: true, image: await (await fetch(IMAGE)).blob() });
    await expect.poll(() => inside(element).querySelector('img')?.getAttribute('src')).toMatch(/^blob:/);
  });

  test('from a host that does not allow embedding become a link that opens the image in a new tab', async () => {
    // A cross-origin fetch without CORS headers fails exactly like this.
    const fetchSpy = vi.spyOn(window, 'fetch').mockRejectedValue(new TypeError('Failed to fetch'));
    const element = await show('![the chart](https://charts.example/q3.png)');
    await userEvent.click(loadButton('charts.example'));

    const link = page.getByRole('link', { name: 'Open image from charts.example' });
    await expect.element(link).toHaveAttribute('href', 'https://charts.example/q3.png');
    await expect.element(link).toHaveAttribute('target', '_blank');
    await expect.element(link).toHaveAttribute('rel', 'noopener noreferrer');
    expect(inside(element).querySelector('p')?.textContent).toBe(
      'Open image from charts.example (this site does not allow its images to be shown here) the chart',
    );
    expect(inside(element).querySelector('img')).toBeNull();
    assertInert(element);
    const [url, init] = fetchSpy.mock.calls[0] ?? [];
    expect(url).toBe('https://charts.example/q3.png');
    expect(init).toMatchObject({ mode: 'cors', credentials: 'omit', referrerPolicy: 'no-referrer' });
    await expect.poll(() => inside(element).querySelector('[aria-live]')?.textContent).toMatch(/cannot be shown here/);
  });

  test('that turn out not to be images become the link too, and say so', async () => {
    const element = await show(`![page](${location.origin}/)`);
    await userEvent.click(loadButton());
    await expect.element(page.getByRole('link', { name: `Open image from ${location.host}` })).toBeVisible();
    expect(inside(element).querySelector('p')?.textContent).toContain('(this address is not an image)');
    expect(inside(element).querySelector('img')).toBeNull();
  });

  test('loading one image leaves the others from other hosts as placeholders', async () => {
    const element = await show(`![one](${IMAGE})\n\n![two](https://elsewhere.example/two.png)`);
    await userEvent.click(loadButton());
    await expect.poll(() => inside(element).querySelectorAll('img').length).toBe(1);
    await expect.element(loadButton('elsewhere.example')).toBeVisible();
  });

  test('an image inside a link gets its button after the link, and loads inside it', async () => {
    const element = await show(`[![build passing](${IMAGE})](https://ci.example/run)`);
    const link = page.getByRole('link', { name: 'build passing' });
    await expect.element(link).toHaveAttribute('href', 'https://ci.example/run');
    expect(loadButton().element().closest('a')).toBeNull();
    expect(inside(element).querySelector('p')?.textContent).toBe(
      `build passing (ci.example) Load image from ${location.host} build passing`,
    );
    await userEvent.click(loadButton());
    await expect.poll(() => inside(element).querySelector('a > img')?.getAttribute('src')).toMatch(/^blob:/);
  });

  test('are let go when the reply leaves the page: the blob: URL is revoked and the button is back', async () => {
    const revoke = vi.spyOn(URL, 'revokeObjectURL');
    const element = await show(`![icon](${IMAGE})`);
    await userEvent.click(loadButton());
    await expect.poll(() => inside(element).querySelector('img')).not.toBeNull();
    const source = inside(element).querySelector('img')?.getAttribute('src');

    element.remove();
    expect(revoke).toHaveBeenCalledWith(source);
    document.body.append(element);
    await element.updateComplete;
    expect(inside(element).querySelector('img')).toBeNull();
    await expect.element(loadButton()).toBeVisible();
  });

  test('a reply cannot bring its own blob: or data: image', async () => {
    const element = await show(
      '![pixel](data:image/png;base64,iVBORw0KGgo=) ![blob](blob:https://example.com/1a2b) <img src="blob:x">',
    );
    expect(page.getByRole('button').elements()).toHaveLength(0);
    expect(inside(element).querySelector('img')).toBeNull();
    expect(inside(element).querySelector('p')?.textContent).toContain('pixel blob');
  });
});

describe('code blocks', () => {
  test('carry their language, a Copy code button, and get highlighted once the highlighter has loaded', async () => {
    const element = await show('```ts\nconst answer: number = 42;\n```');
    const code = inside(element).querySelector('pre > code');
    expect(code?.classList.contains('language-ts')).toBe(true);
    await expect.element(page.getByRole('button', { name: 'Copy code', exact: true })).toBeVisible();
    await expect.poll(() => inside(element).querySelector('pre > code .hljs-keyword')?.textContent).toBe('const');
    expect(inside(element).querySelector('pre > code')?.textContent).toBe('const answer: number = 42;');
    // A long line scrolls the block sideways: keyboard users can reach it.
    expect(inside(element).querySelector('pre')?.tabIndex).toBe(0);
    assertInert(element);
  });

  test('Copy code copies the code exactly and says so', async () => {
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue();
    const code = 'first()\n\n  second("<b>&amp;</b>")';
    const element = await show(`Two blocks:\n\n\`\`\`\none\n\`\`\`\n\n\`\`\`js\n${code}\n\`\`\``);
    const buttons = page.getByRole('button', { name: 'Copy code', exact: true });
    expect(buttons.elements()).toHaveLength(2);
    await userEvent.click(buttons.nth(1));
    expect(writeText).toHaveBeenCalledWith(code);
    await expect.poll(() => inside(element).querySelector('[aria-live]')?.textContent).toBe('Code copied.');
  });

  test('a failed copy is announced with what to do instead', async () => {
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new DOMException('denied', 'NotAllowedError'));
    const element = await show('```\nx\n```');
    await userEvent.click(page.getByRole('button', { name: 'Copy code', exact: true }));
    await expect.poll(() => inside(element).querySelector('[aria-live]')?.textContent).toMatch(/Could not copy/);
  });

  test('a huge code block shows its first part, copies in full, and shows all on request', async () => {
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue();
    const code = `${'0123456789'.repeat(9)}abcdefghi\n`.repeat(10_000).slice(0, -1);
    const element = await show(`\`\`\`\n${code}\n\`\`\``);
    expect(inside(element).querySelector('pre > code')?.textContent).toHaveLength(LIMITS.codeCharacters);
    await userEvent.click(page.getByRole('button', { name: 'Copy code', exact: true }));
    expect(writeText).toHaveBeenCalledWith(code);
    await userEvent.click(page.getByRole('button', { name: 'Show all 999,999 characters' }));
    await element.updateComplete;
    expect(inside(element).querySelector('pre > code')?.textContent).toBe(code);
    expect(page.getByRole('button', { name: /Show all/ }).elements()).toHaveLength(0);
  });
});

describe('limits', () => {
  test('a 10,000-item list shows 2,000 items, then all of them on request', async () => {
    const element = await show(Array.from({ length: 10_000 }, (_, index) => `- item ${index + 1}`).join('\n'));
    expect(inside(element).querySelectorAll('li')).toHaveLength(LIMITS.listItems);
    await userEvent.click(page.getByRole('button', { name: 'Show all 10,000 items' }));
    await element.updateComplete;
    expect(inside(element).querySelectorAll('li')).toHaveLength(10_000);
  });

  test('a table with too many rows is cut short too', async () => {
    const rows = Array.from({ length: 2_500 }, (_, index) => `| ${index} |`).join('\n');
    const element = await show(`| n |\n|---|\n${rows}`);
    expect(inside(element).querySelectorAll('tbody tr')).toHaveLength(LIMITS.tableRows);
    await expect.element(page.getByRole('button', { name: 'Show all 2,500 rows' })).toBeVisible();
  });
});

describe('hidden characters', () => {
  test('are removed, and the reply says so', async () => {
    const element = await show('Pay\u200B here\u202Egnp.exe and &#x202E;done\u{E0041}\u{E0042}');
    expect(inside(element).querySelector('p')?.textContent).toBe('Pay heregnp.exe and done');
    await expect.element(page.getByText('Hidden characters were removed from this reply.')).toBeVisible();
  });

  test('nothing is said when there were none, and emoji sequences survive', async () => {
    const element = await show('Family: 👨\u200D👩\u200D👧 — فارسی\u200Cها');
    expect(inside(element).querySelector('p')?.textContent).toBe('Family: 👨\u200D👩\u200D👧 — فارسی\u200Cها');
    expect(inside(element).textContent).not.toContain('Hidden characters');
  });
});

describe('sanitizeHtml, the allow-list every rendered block goes through', () => {
  test('keeps ordinary formatting and links, removes what is active', () => {
    const { html, hiddenCharactersRemoved } = sanitizeHtml(
      '<p id="x" style="color:red" onclick="alert(1)">Hi <b>there</b> <a href="https://example.com/a">example.com/a</a></p><script>alert(1)</script>',
    );
    expect(html).toBe(
      '<p>Hi <b>there</b> <a href="https://example.com/a" target="_blank" rel="noopener noreferrer">example.com/a</a></p>',
    );
    expect(hiddenCharactersRemoved).toBe(false);
  });

  test('keeps an <img> only with the blob: URL made for an image the user loaded', () => {
    const objectUrl = `blob:${location.origin}/0b7c1a9e-7d7e-4f5e-9d1c-3f1a2b3c4d5e`;
    const images = new Map([['https://img.example/a.png', { status: 'loaded', objectUrl } as const]]);
    expect(sanitizeHtml('<p><img src="https://img.example/a.png" alt="A">x</p>', { images }).html).toBe('<p>x</p>');
    expect(sanitizeHtml(`<img src="${objectUrl}" alt="A" srcset="https://img.example/b.png 2x">`).html).toBe('');
    expect(sanitizeHtml(`<img src="blob:${location.origin}/other" alt="A">`, { images }).html).toBe('');
    expect(
      sanitizeHtml(`<img src="${objectUrl}" alt="A" referrerpolicy="no-referrer" decoding="async" loading="lazy">`, {
        images,
      }).html,
    ).toBe(`<img src="${objectUrl}" alt="A" referrerpolicy="no-referrer" decoding="async">`);
  });

  test('makes every link open in a new tab and every button a plain button, whatever the input said', () => {
    expect(sanitizeHtml('<a href="https://a.example/" target="_self" rel="opener">a</a><a>b</a>').html).toBe(
      '<a href="https://a.example/" target="_blank" rel="noopener noreferrer">a</a><a>b</a>',
    );
    expect(sanitizeHtml('<button type="submit">x</button><button>y</button>').html).toBe(
      '<button type="button">x</button><button type="button">y</button>',
    );
  });

  test('lets nothing take focus but code blocks', () => {
    expect(sanitizeHtml('<p tabindex="0">a</p><pre tabindex="-1">b</pre><pre tabindex="0">c</pre>').html).toBe(
      '<p>a</p><pre>b</pre><pre tabindex="0">c</pre>',
    );
  });

  test('gives TrustedHTML from the mc-markdown policy where the browser has Trusted Types', () => {
    const { trusted, html } = sanitizeHtml('<em>x</em>');
    expect((window as unknown as TrustedTypesWindow).trustedTypes?.isHTML(trusted)).toBe(true);
    expect(String(trusted)).toBe(html);
  });
});

describe('accessibility', () => {
  const RICH = [
    '# Heading',
    '',
    'Text with [a link](https://example.com/x), `inline code` and a hidden\u200B character.',
    '',
    '- [x] done',
    '- [ ] to do',
    '',
    '> a quote',
    '',
    '| a | b |',
    '|---|--:|',
    '| 1 | 2 |',
    '',
    '```js',
    '// comment',
    'const s = "string" + 42;',
    `const long = [${'"a line long enough to scroll sideways", '.repeat(8)}];`,
    '```',
    '',
    '![diagram](https://img.example/d.png)',
  ].join('\n');

  for (const theme of ['light', 'dark']) {
    test(`a rich reply has no axe violations in the ${theme} theme`, async () => {
      document.documentElement.dataset['theme'] = theme;
      try {
        const element = await show(RICH);
        await expect.poll(() => inside(element).querySelector('.hljs-keyword')).not.toBeNull();
        const results = await axe.run(element);
        const found = results.violations.map(
          (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
        );
        expect(found).toEqual([]);
      } finally {
        delete document.documentElement.dataset['theme'];
      }
    });
  }
});
