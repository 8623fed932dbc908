import { afterEach, describe, expect, test } from 'vitest';
import '../../../src/components/mc-markdown.js';
import { BLOCKS_PER_GROUP, type McMarkdown } from '../../../src/components/mc-markdown.js';
import { createStreamingRenderer, LIMITS, renderMarkdown } from '../../../src/markdown/index.js';
import type { RenderResult } from '../../../src/markdown/index.js';
import { HOSTILE_CORPUS } from '../../fixtures/hostile-corpus.js';

afterEach(() => {
  document.body.replaceChildren();
});

const REPLY = [
  '# Plan',
  '',
  'Here is what we will do, with **bold**, _emphasis_ and a [link](https://example.com/docs).',
  '',
  '1. First step',
  '2. Second step',
  '   - a nested point',
  '',
  '> A quote that runs',
  'lazily onto a second line.',
  '',
  '```ts',
  'const answer: number = 42;',
  '',
  'console.log(answer);',
  '```',
  '',
  '| Name | Value |',
  '|:-----|------:|',
  '| a    |     1 |',
  '| b    |     2 |',
  '',
  '- [x] done',
  '- [ ] to do',
  '',
  'Setext heading',
  '--------------',
  '',
  'The end.',
].join('\n');

/** Texts whose block boundaries move while they are written. */
const TRICKY: Record<string, string> = {
  reply: REPLY,
  'heading marker after paragraph': 'para\n#\n#x\n# real heading\ntext',
  'table delimiter growing': 'para\n| a | b |\n|-x\n\n| h | i |\n|---|---|\n| 1 | 2 |\nafter',
  'list continued after blank line': '1. one\n\n2\n\n2. two\n\n   more of two\n\nout',
  'reference defined later':
    'See [the docs][d] and [x].\n\nMore text.\n\n[d]: https://example.com/d "Docs"\n[x]: https://x.example',
  'definition title on two lines': "[t]\n\n[t]: https://example.com\n'a title\non two lines'\n\n[t] again",
  'unclosed fence': 'intro\n\n```py\nprint(1)\n\n# not a heading\n- not a list',
  'windows line ends': 'a\r\nb\r\n\r\n# c\r\n- d\r\n\r\ne',
  'hidden characters at line starts': 'one\n\u200Dtwo 👨\u200D👩\n\uFE0Fthree\n\n\u202Efour',
  'indented code across blank lines': 'text\n\n    code\n\n    more code\n\nafter',
  'html blocks': '<div>\n*x*\n\n</div>\n\n<pre>\n\n</pre>\nend',
};

function keyedHtml(result: RenderResult): [string, string][] {
  return result.blocks.map((block) => [block.key, block.html]);
}

describe('the streaming renderer', () => {
  for (const [name, text] of Object.entries(TRICKY)) {
    test(`renders every intermediate state exactly as a full render would: ${name}`, () => {
      const renderer = createStreamingRenderer();
      const characters = [...text];
      for (let end = 1; end <= characters.length; end++) {
        const prefix = characters.slice(0, end).join('');
        const streamed = renderer.render(prefix);
        const whole = renderMarkdown(prefix);
        expect(keyedHtml(streamed), `after ${JSON.stringify(prefix)}`).toEqual(keyedHtml(whole));
        expect(streamed.hiddenCharactersRemoved).toBe(whole.hiddenCharactersRemoved);
      }
      expect(keyedHtml(renderer.render(text, { final: true }))).toEqual(keyedHtml(renderMarkdown(text)));
    });
  }

  test('ends as a full render would for every hostile input', () => {
    for (const { input } of HOSTILE_CORPUS) {
      const renderer = createStreamingRenderer();
      const characters = [...input];
      for (let end = 1; end <= characters.length; end++) renderer.render(characters.slice(0, end).join(''));
      expect(keyedHtml(renderer.render(input, { final: true })), input).toEqual(keyedHtml(renderMarkdown(input)));
    }
  });

  test('renders each final block once and reuses it for every later token', () => {
    const renderer = createStreamingRenderer();
    const characters = [...REPLY];
    const firstSeen = new Map<string, unknown>();
    let mostRenderedAtOnce = 0;
    let totalRendered = 0;
    let previous: RenderResult | undefined;
    for (let end = 1; end <= characters.length; end++) {
      const result = renderer.render(characters.slice(0, end).join(''));
      mostRenderedAtOnce = Math.max(mostRenderedAtOnce, result.renderedBlocks);
      totalRendered += result.renderedBlocks;
      // Every block but the last two (the growing one, and one that may still be waiting for its successor's first
      // line) is the very object it was before.
      if (previous) {
        for (const block of previous.blocks.slice(0, -2)) {
          expect(result.blocks.find((candidate) => candidate.key === block.key)).toBe(block);
        }
      }
      for (const block of result.blocks) if (!firstSeen.has(block.key)) firstSeen.set(block.key, block);
      previous = result;
    }
    expect(mostRenderedAtOnce).toBeLessThanOrEqual(2);
    // The growing block is rendered on every token, the others never again: work per token does not grow.
    expect(totalRendered).toBeLessThanOrEqual(characters.length * 2);
  });

  test('a text that does not extend the last one starts over', () => {
    const renderer = createStreamingRenderer();
    renderer.render('# One\n\nfirst reply\n\nmore');
    const other = renderer.render('A different reply', { final: true });
    expect(keyedHtml(other)).toEqual(keyedHtml(renderMarkdown('A different reply')));
  });

  test('a code block over the limit is cut short with "Show all", and expands on request', () => {
    const code = 'x'.repeat(99) + '\n';
    const text = `\`\`\`\n${code.repeat(LIMITS.codeCharacters / 100 + 500)}\`\`\`\n\nafter`;
    const renderer = createStreamingRenderer();
    const cut = renderer.render(text, { final: true });
    const codeBlock = cut.blocks[0];
    expect(codeBlock?.html).toContain('Show all');
    expect(codeBlock?.codes[0]?.length).toBe(code.length * (LIMITS.codeCharacters / 100 + 500) - 1);
    const shown = new DOMParser().parseFromString(codeBlock?.html ?? '', 'text/html').querySelector('code');
    expect(shown?.textContent?.length).toBe(LIMITS.codeCharacters);
    const expanded = renderer.render(text, { final: true, expandedBlocks: new Set([codeBlock?.key ?? '']) });
    expect(expanded.blocks[0]?.html).not.toContain('Show all');
    expect(expanded.renderedBlocks).toBe(1);
  });

  test('a list over the limit is cut short while it streams in, without re-lexing it on every token', () => {
    const items = 10_000;
    const text = Array.from({ length: items }, (_, index) => `- item ${index}`).join('\n');
    const renderer = createStreamingRenderer();
    let rendersOnceLarge = 0;
    for (let end = 400; end < text.length; end += 400) {
      const { renderedBlocks } = renderer.render(text.slice(0, end));
      if (end > 64_000 && renderedBlocks > 0) rendersOnceLarge++;
    }
    const html = renderer.render(text, { final: true }).blocks[0]?.html ?? '';
    expect(html.match(/<li>/g)?.length).toBe(LIMITS.listItems);
    expect(html).toContain('Show all 10,000 items');
    // Once large, the list is lexed again only each time it has grown by an eighth: from 64 KB to 120 KB, a handful.
    expect(rendersOnceLarge).toBeLessThanOrEqual(8);
  });

  test('a 1 MB code block streamed in small pieces is redone only a few times once its shown part is full', () => {
    const line = 'const value = compute(input) + 1; // ' + 'x'.repeat(24) + '\n';
    const text = '```js\n' + line.repeat(Math.ceil(1_000_000 / line.length));
    const renderer = createStreamingRenderer();
    let rendersOnceFull = 0;
    for (let end = 2_000; end < text.length; end += 2_000) {
      const { renderedBlocks } = renderer.render(text.slice(0, end));
      if (end > LIMITS.codeCharacters * 1.2 && renderedBlocks > 0) rendersOnceFull++;
    }
    const final = renderer.render(text, { final: true });
    // From 240 KB to 1 MB in 2 KB steps is 380 tokens; growing by an eighth each time, about a dozen renders.
    expect(rendersOnceFull).toBeLessThanOrEqual(14);
    expect(final.blocks[0]?.html).toMatch(/Show all [\d,]+ characters/);
  });
});

describe('<mc-markdown> while streaming', () => {
  test('keeps the DOM of finished blocks and rebuilds only the growing one', async () => {
    const element = document.createElement('mc-markdown') as McMarkdown;
    element.streaming = true;
    document.body.append(element);
    const characters = [...REPLY];
    const blockElements = new Map<string, Element>();
    const earlierChildren = new Map<string, Element | null>();
    for (let end = 1; end <= characters.length; end++) {
      element.text = characters.slice(0, end).join('');
      await element.updateComplete;
      const blocks = [...(element.shadowRoot?.querySelectorAll('[data-block]') ?? [])];
      for (const block of blocks.slice(0, -2)) {
        const key = block.getAttribute('data-block') ?? '';
        const earlier = blockElements.get(key);
        if (earlier) {
          expect(block).toBe(earlier);
          expect(block.firstElementChild).toBe(earlierChildren.get(key));
        }
        blockElements.set(key, block);
        earlierChildren.set(key, block.firstElementChild);
      }
    }
    element.streaming = false;
    await element.updateComplete;
    expect(element.shadowRoot?.querySelectorAll('[data-block]').length).toBe(renderMarkdown(REPLY).blocks.length);
  });

  test('streams a long reply in groups of blocks, the earlier ones skipped while off screen, and loses nothing', async () => {
    const element = document.createElement('mc-markdown') as McMarkdown;
    element.streaming = true;
    document.body.append(element);
    const paragraphs = Array.from({ length: BLOCKS_PER_GROUP * 2 + 5 }, (_, index) => `Paragraph ${index + 1}.`);
    let firstBlock: Element | undefined;
    for (let count = 1; count <= paragraphs.length; count++) {
      element.text = paragraphs.slice(0, count).join('\n\n');
      await element.updateComplete;
      const block = element.shadowRoot?.querySelector('[data-block]') ?? undefined;
      firstBlock ??= block;
      // Finished blocks keep their DOM when a new group starts after them.
      expect(block).toBe(firstBlock);
    }
    const groups = [...(element.shadowRoot?.querySelectorAll('.group') ?? [])];
    expect(groups.map((group) => group.querySelectorAll('[data-block]').length)).toEqual([
      BLOCKS_PER_GROUP,
      BLOCKS_PER_GROUP,
      5,
    ]);
    const visibility = () => groups.map((group) => getComputedStyle(group).contentVisibility);
    expect(visibility()).toEqual(['auto', 'auto', 'visible']);
    // A finished reply is laid out whole: nothing in it waits to be sized when the reader scrolls to it.
    element.streaming = false;
    await element.updateComplete;
    expect(visibility()).toEqual(['visible', 'visible', 'visible']);
    const shown = [...(element.shadowRoot?.querySelectorAll('[data-block]') ?? [])].map((block) =>
      block.textContent?.trim(),
    );
    expect(shown).toEqual(paragraphs);
  });
});
