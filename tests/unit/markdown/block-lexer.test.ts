import { Marked } from 'marked';
import type { Token } from 'marked';
import { describe, expect, test } from 'vitest';
import {
  copyLinks,
  definitionsIn,
  findCompletePrefix,
  lexBlocks,
  normalizeLineEnds,
  referenceLabels,
  referenceSignature,
} from '../../../src/markdown/block-lexer.js';

const marked = new Marked({ gfm: true });

function finalCount(source: string): number {
  return findCompletePrefix(source, lexBlocks(source).tokens, copyLinks()).count;
}

/**
 * Streams `text` one character at a time the way the renderer does: lex the tail, make its complete prefix final,
 * continue from there. Returns the HTML of every block, final ones then the last tail, rendered with every definition
 * known at the end (the renderer renders a final block again when a definition it uses appears).
 */
function streamBlocks(raw: string): string[] {
  const text = normalizeLineEnds(raw);
  const links = copyLinks();
  const finals: Token[] = [];
  let offset = 0;
  let sofar = '';
  for (const character of text) {
    sofar += character;
    const tail = sofar.slice(offset);
    const lexed = lexBlocks(tail, links);
    const prefix = findCompletePrefix(tail, lexed.tokens, links);
    if (prefix.count === 0) continue;
    const promoted = lexed.tokens.slice(0, prefix.count);
    finals.push(...promoted.filter((token) => token.type !== 'space'));
    definitionsIn(promoted, links);
    offset += prefix.length;
  }
  const last = lexBlocks(text.slice(offset), links);
  const blocks = [...finals, ...last.tokens.filter((token) => token.type !== 'space')];
  return blocks.map((token) => render(token, last.links));
}

function render(token: Token, links: ReturnType<typeof copyLinks>): string {
  const relexed = lexBlocks(token.raw, links).tokens.filter((candidate) => candidate.type !== 'space');
  return marked.parser(relexed);
}

function wholeBlocks(raw: string): string[] {
  const { tokens, links } = lexBlocks(normalizeLineEnds(raw));
  return tokens.filter((token) => token.type !== 'space').map((token) => render(token, links));
}

describe('findCompletePrefix', () => {
  test('nothing is final while there is one block', () => {
    expect(finalCount('# Title')).toBe(0);
    expect(finalCount('A paragraph\nthat goes on\n')).toBe(0);
  });

  test('a block is final once the next one has started on a complete line', () => {
    expect(finalCount('# Title\nText\n')).toBe(1);
    expect(finalCount('First.\n\nSecond.\n')).toBe(2);
  });

  test('a half-written last line cannot make the block before it final', () => {
    // "#" alone is a heading; "#x" turns back into the paragraph's second line.
    expect(finalCount('para\n#')).toBe(0);
    // "|-" starts a table under "| a |"; "|-x" would make both lines text again.
    expect(finalCount('para\n| a |\n|-')).toBe(0);
    // "2" could become "2." and continue the list.
    expect(finalCount('1. one\n\n2')).toBe(0);
  });

  test('an open code fence is never final', () => {
    expect(finalCount('```js\nlet a = 1;\n\n# not a heading\n')).toBe(0);
    expect(finalCount('```js\nlet a = 1;\n```\nafter\n')).toBe(1);
  });

  test('a link definition waits for a blank line, as its title may continue', () => {
    expect(finalCount("[a]: https://example.com\n'title\n")).toBe(0);
    expect(finalCount('[a]: https://example.com\n\nnext\n')).toBe(2);
  });

  test('the final prefix ends at a line start', () => {
    const source = '# Title\n\nText\nmore\n\n- item\n';
    const prefix = findCompletePrefix(source, lexBlocks(source).tokens, copyLinks());
    expect(source[prefix.length - 1]).toBe('\n');
    expect(source.slice(prefix.length)).toBe('- item\n');
  });
});

describe('streaming block by block gives the same blocks as lexing the whole text', () => {
  const documents: Record<string, string> = {
    'headings and paragraphs': '# Title\nIntro line\nsecond line\n\n## Part\n\nText with *em* and `code`.\n',
    'setext headings': 'Title\n=====\n\nSub\n---\ntext\n',
    'lists, tight and loose': '- a\n- b\n\n- c\n\n  continued\n\n1. one\n2. two\n\n3. three\n\nafter\n',
    'list then number': '1. one\n\n2\n\n2. two\n',
    'nested quote and list': '> quote\nlazy line\n> - item\n>   more\n\nout\n',
    'code fences': '```py\nprint(1)\n\n# comment\n```\ntext\n~~~\nx\n~~~\n\n    indented\n\n    more indented\nend',
    'tables growing': 'para\n| a | b |\n|-x\n\n| h1 | h2 |\n|:--|--:|\n| 1 | 2 |\n| 3 | 4 |\nafter\n',
    'definitions and references':
      '[early][later] and [x]\n\n[later]: https://example.com "T"\n[x]: https://x.example\n\nuse [later]\n',
    'definition title on two lines': "[t]\n\n[t]: https://example.com\n'a title\non two lines'\n\n[t] again\n",
    'html blocks': '<div>\n*not* markdown\n\n</div>\n\n<!-- c -->\n\n<pre>\n\n</pre>\ntext\n',
    'thematic breaks and heading markers': 'para\n#\n#x\n---\n***\n# h #\n',
    'line ends': 'a\r\nb\r\n\r\n# c\r\n- d\r\n',
  };

  for (const [name, text] of Object.entries(documents)) {
    test(name, () => {
      expect(streamBlocks(text)).toEqual(wholeBlocks(text));
    });
  }
});

describe('reference labels', () => {
  test('finds every label a block might use, normalized as marked matches them', () => {
    expect(referenceLabels('[Text][My  Ref] and [other] and [x][]')).toEqual(['text', 'my ref', 'other', 'x']);
    expect(referenceLabels('no brackets')).toEqual([]);
  });

  test('the signature changes when a used definition appears or changes, not for others', () => {
    const labels = referenceLabels('[a] and [b]');
    const before = referenceSignature(labels, copyLinks());
    const withA = referenceSignature(labels, copyLinks({ a: { href: 'https://a.example', title: null } }));
    const withOther = referenceSignature(labels, copyLinks({ c: { href: 'https://c.example', title: null } }));
    expect(withA).not.toBe(before);
    expect(withOther).toBe(before);
  });

  test('a label named like an object property finds nothing', () => {
    expect(referenceSignature(['constructor', '__proto__'], copyLinks())).toBe(
      referenceSignature(['x', 'y'], copyLinks()),
    );
  });
});
