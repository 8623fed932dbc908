import { afterEach, describe, expect, test } from 'vitest';
import { markdownHeavyTokens } from '../../../bench/stream-tokens.mjs';
import '../../../src/components/mc-markdown.js';
import type { McMarkdown } from '../../../src/components/mc-markdown.js';
import { createStreamingRenderer, loadHighlighter, renderMarkdown, showBlock } from '../../../src/markdown/index.js';
import { HOSTILE_CORPUS } from '../../fixtures/hostile-corpus.js';

afterEach(() => {
  document.body.replaceChildren();
});

/** A small seeded generator (mulberry32), so a failing chunking can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** The text's prefixes at random cut points, 1 to `longest` characters apart, ending with the whole text. */
function chunkings(text: string, seed: number, longest: number): string[] {
  const next = random(seed);
  const characters = [...text];
  const prefixes: string[] = [];
  for (let end = 0; end < characters.length;) {
    end = Math.min(characters.length, end + 1 + Math.floor(next() * longest));
    prefixes.push(characters.slice(0, end).join(''));
  }
  return prefixes;
}

/** The DOM a full render of `text` gives, as one string per block. */
function fullRenderDom(text: string): string[] {
  return renderMarkdown(text).blocks.map((block) => {
    const element = document.createElement('div');
    element.innerHTML = block.trusted as string;
    return element.innerHTML;
  });
}

/** Streams `prefixes` through a renderer into one element per block, patched as mc-markdown does. */
function streamIntoDom(prefixes: readonly string[], check: (prefix: string, dom: string[]) => void): void {
  const renderer = createStreamingRenderer();
  const shown = new Map<string, { element: HTMLElement; revision: number }>();
  for (const prefix of prefixes) {
    const result = renderer.render(prefix);
    const dom = result.blocks.map((block) => {
      const current = shown.get(block.key) ?? { element: document.createElement('div'), revision: -1 };
      if (current.revision !== block.revision) showBlock(current.element, block, current.revision);
      shown.set(block.key, { element: current.element, revision: block.revision });
      return current.element.innerHTML;
    });
    check(prefix, dom);
  }
}

const LIST = Array.from(
  { length: 12 },
  (_, index) => `- item ${index} with **bold** and [a link](https://example.com/${index})`,
)
  .join('\n')
  .concat('\n\nafter');
const CODE =
  'intro\n\n```js\n' +
  Array.from({ length: 40 }, (_, index) => `const v${index} = "<${index}>" & 1;`).join('\n') +
  '\n```\n\nafter';
const BENCH_STREAM = markdownHeavyTokens(1_200).join('');

describe('growing lists and code blocks', () => {
  test('the patched DOM equals a full render after every chunk, over many random chunkings', () => {
    const texts = [
      LIST,
      CODE,
      markdownHeavyTokens(450).join(''),
      '1. one\n2. two\n\n3. loose now\n4. four',
      '- [ ] task\n- [x] done\n- more',
    ];
    for (const [index, text] of texts.entries()) {
      for (let seed = 1; seed <= 4; seed++) {
        streamIntoDom(chunkings(text, seed * 100 + index, 16), (prefix, dom) => {
          expect(dom, `seed ${seed}, after ${JSON.stringify(prefix.slice(-40))}`).toEqual(fullRenderDom(prefix));
        });
      }
    }
  }, 60_000);

  test('the patched DOM ends equal to a full render for every hostile input, over random chunkings', () => {
    for (const [index, { input }] of HOSTILE_CORPUS.entries()) {
      for (let seed = 1; seed <= 3; seed++) {
        let last: string[] = [];
        streamIntoDom(chunkings(input, seed * 1000 + index, 6), (_prefix, dom) => {
          last = dom;
        });
        expect(last, input).toEqual(fullRenderDom(input));
      }
    }
  });

  test('a growing list renders only its new items; a growing code block only appends its new text', () => {
    const renderer = createStreamingRenderer();
    const listPrefixes = chunkings(LIST.slice(0, LIST.indexOf('\n\nafter')), 7, 5);
    let patched = 0;
    for (const prefix of listPrefixes) {
      const block = renderer.render(prefix).blocks.at(-1);
      if (block?.patch?.kind === 'list-items') {
        patched++;
        expect(block.patch.keep).toBeGreaterThanOrEqual(prefix.split('\n').length - 2);
        expect(block.patch.items.length).toBeLessThanOrEqual(2);
      }
    }
    expect(patched).toBeGreaterThan(listPrefixes.length / 2);

    const codeRenderer = createStreamingRenderer();
    const codePrefixes = chunkings(CODE.slice(0, CODE.indexOf('\n```\n\nafter')), 8, 5).filter((prefix) =>
      prefix.includes('const'),
    );
    let appended = '';
    for (const prefix of codePrefixes) {
      const patch = codeRenderer.render(prefix).blocks.at(-1)?.patch;
      if (patch?.kind === 'code-text') appended += patch.append;
    }
    expect(appended.length).toBeGreaterThan(CODE.indexOf('\n```\n\nafter') - CODE.indexOf('const') - 20);
  });
});

describe('<mc-markdown> with growing blocks', () => {
  test('keeps the DOM of finished list items and of the code text while they grow', async () => {
    const element = document.createElement('mc-markdown') as McMarkdown;
    element.streaming = true;
    document.body.append(element);
    let firstItem: Element | null | undefined;
    for (const prefix of chunkings(LIST.slice(0, LIST.indexOf('\n\nafter')), 3, 8)) {
      element.text = prefix;
      await element.updateComplete;
      const item = element.shadowRoot?.querySelector('li');
      if (prefix.includes('item 1')) expect(item).toBe(firstItem);
      else firstItem = item;
    }
    let code: Element | null | undefined;
    const codeText = CODE.slice(0, CODE.indexOf('\n```\n\nafter'));
    for (const prefix of chunkings(codeText, 4, 8).filter((prefix) => prefix.includes('const v1'))) {
      element.text = `${LIST}\n\n${prefix}`;
      await element.updateComplete;
      const shownCode = element.shadowRoot?.querySelector('[data-block]:last-child code');
      code ??= shownCode;
      expect(shownCode).toBe(code);
      // Plain while it grows: highlighted once it closes.
      expect(shownCode?.childElementCount).toBe(0);
    }
  });

  test('a link the reader focused in a list stays focused when the list ends and the reply goes on', async () => {
    const element = document.createElement('mc-markdown') as McMarkdown;
    element.streaming = true;
    document.body.append(element);
    const list = LIST.slice(0, LIST.indexOf('\n\nafter'));
    element.text = list.slice(0, list.indexOf('- item 3'));
    await element.updateComplete;
    const link = element.shadowRoot?.querySelector<HTMLAnchorElement>('li a');
    link?.focus();
    // The last items and the end of the list arrive between two renders, as they do when frames are expensive.
    for (const text of [`${list}\n\nafter`, `${list}\n\nafter the list, more text`]) {
      element.text = text;
      await element.updateComplete;
    }
    expect(element.shadowRoot?.querySelectorAll('li')).toHaveLength(12);
    expect(link?.isConnected).toBe(true);
    expect(element.shadowRoot?.activeElement).toBe(link);
  });

  test('a reply streamed in random chunks ends with the DOM of a full render, highlighted', async () => {
    const highlighter = await loadHighlighter();
    for (const seed of [11, 12, 13]) {
      const element = document.createElement('mc-markdown') as McMarkdown;
      element.streaming = true;
      document.body.append(element);
      for (const prefix of chunkings(BENCH_STREAM, seed, 40)) {
        element.text = prefix;
        await element.updateComplete;
      }
      element.streaming = false;
      await element.updateComplete;
      const shown = [...(element.shadowRoot?.querySelectorAll('[data-block]') ?? [])].map((block) => block.innerHTML);
      const expected = renderMarkdown(BENCH_STREAM, { highlighter }).blocks.map((block) => {
        const reference = document.createElement('div');
        reference.innerHTML = block.trusted as string;
        return reference.innerHTML;
      });
      expect(shown).toEqual(expected);
      expect(element.shadowRoot?.querySelector('code .hljs-keyword')).not.toBeNull();
      element.remove();
    }
  });
});
