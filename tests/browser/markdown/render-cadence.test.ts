import { afterEach, expect, test, vi } from 'vitest';
import '../../../src/components/mc-markdown.js';
import type { McMarkdown } from '../../../src/components/mc-markdown.js';

afterEach(() => {
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
const shownText = (element: McMarkdown) => element.shadowRoot?.querySelector('.content')?.textContent?.trim() ?? '';

/** A streaming element whose first render is timed at 40 ms: long enough that the next one must wait. */
async function afterAnExpensiveRender(): Promise<McMarkdown> {
  let clock = 1_000;
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
  const element = document.createElement('mc-markdown') as McMarkdown;
  element.streaming = true;
  element.text = 'Hello';
  document.body.append(element);
  await element.updateComplete;
  clock += 40;
  // The render is timed in a task after its frame.
  await nextTask();
  return element;
}

test('while a reply streams, more text after an expensive render waits, and updateComplete waits for it', async () => {
  const element = await afterAnExpensiveRender();
  element.text = 'Hello world';
  await nextTask();
  expect(shownText(element)).toBe('Hello');
  await element.updateComplete;
  expect(shownText(element)).toBe('Hello world');
});

test('the end of a reply is shown at once, even while a render is held back', async () => {
  const element = await afterAnExpensiveRender();
  element.text = 'Hello world';
  await nextTask();
  expect(shownText(element)).toBe('Hello');
  element.text = 'Hello world, done.';
  element.streaming = false;
  await nextTask();
  expect(shownText(element)).toBe('Hello world, done.');
});

test('text that is not streaming is never held back', async () => {
  const element = await afterAnExpensiveRender();
  element.streaming = false;
  await nextTask();
  element.text = 'Another reply';
  await nextTask();
  expect(shownText(element)).toBe('Another reply');
});
