// The app at phone and desktop sizes, light and dark, with a realistic conversation: it must fit the width (no
// sideways scrolling) from 360 px up. With UPDATE_SCREENSHOTS=1 it also writes the README's screenshots:
//   UPDATE_SCREENSHOTS=1 npx vitest run --project e2e tests/e2e/screenshots.test.ts
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { interceptHuggingFaceRouter, streamReply } from '../support/browser.js';
import { TEST_HF_TOKEN, useAppSessions } from '../support/e2e.js';
import {
  assistantMessages,
  fillSettings,
  messageBox,
  named,
  openApp,
  sendMessage,
  stopButton,
  userMessages,
} from '../support/ui.js';
import { MARKDOWN_REPLY, animationsSettled, tokenize } from './a11y-helpers.js';

const harness = useAppSessions();
const SCREENSHOTS_DIR = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const UPDATE = process.env['UPDATE_SCREENSHOTS'] === '1';

/** Earlier conversations, so the list looks lived in; the last one is the conversation shown. */
const CONVERSATION: readonly { ask: string; reply: string }[] = [
  { ask: 'Plan three days in Lisbon', reply: 'Day 1: Alfama and the castle. Day 2: Belém. Day 3: Sintra.' },
  {
    ask: 'Explain WebGPU in two sentences',
    reply: 'WebGPU lets web pages use the graphics card for drawing and computing.',
  },
  { ask: 'A polite reminder about a late invoice', reply: 'Hello Sam, a quick reminder that invoice 214 is now due.' },
  { ask: 'Debounce or throttle? Show me a TypeScript debounce', reply: MARKDOWN_REPLY },
];

const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
  { name: 'small phone', width: 360, height: 740 },
] as const;

async function converse(page: Page): Promise<void> {
  await interceptHuggingFaceRouter(page.context(), (request) => {
    const messages = (request.body as { messages: { content: string }[] }).messages;
    const asked = messages.at(-1)?.content ?? '';
    return streamReply(tokenize(CONVERSATION.find(({ ask }) => asked.includes(ask))?.reply ?? 'Sure.'));
  });
  await openApp(page, harness.appUrl);
  await fillSettings(page, { engine: 'Hugging Face API', hfToken: TEST_HF_TOKEN });
  for (const [index, { ask }] of CONVERSATION.entries()) {
    if (index > 0) await page.getByRole('button', { name: named('New chat') }).click();
    await sendMessage(page, ask);
    await stopButton(page).waitFor({ state: 'hidden' });
  }
  await assistantMessages(page).last().getByRole('table').waitFor();
}

/** How far the page is wider than the window: 0 when nothing scrolls sideways. */
function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
}

async function show(page: Page, size: (typeof SIZES)[number], colorScheme: 'light' | 'dark'): Promise<void> {
  await page.setViewportSize({ width: size.width, height: size.height });
  await page.emulateMedia({ colorScheme });
  await animationsSettled(page);
}

describe('layout from 360 px to desktop, light and dark', () => {
  it('fits every width without sideways scrolling: first visit, Settings, the drawer', async () => {
    const { page } = harness.session();
    await openApp(page, harness.appUrl);
    for (const size of SIZES) {
      await show(page, size, 'light');
      expect(await horizontalOverflow(page), `${size.name}, first visit`).toBe(0);
      await page.getByRole('button', { name: named('Settings') }).click();
      await page.getByRole('dialog', { name: named('Settings') }).waitFor();
      await animationsSettled(page);
      expect(await horizontalOverflow(page), `${size.name}, Settings`).toBe(0);
      await page.keyboard.press('Escape');
    }
    await page.getByRole('button', { name: named('Conversations menu') }).click();
    await page.getByRole('navigation', { name: named('Conversations') }).waitFor();
    await animationsSettled(page);
    expect(await horizontalOverflow(page), 'small phone, drawer open').toBe(0);
  });

  it(`renders a Markdown conversation at every size${UPDATE ? ', and writes docs/screenshots/' : ''}`, async () => {
    const { page } = harness.session();
    await converse(page);
    if (UPDATE) await mkdir(SCREENSHOTS_DIR, { recursive: true });
    for (const size of SIZES) {
      for (const colorScheme of ['light', 'dark'] as const) {
        await show(page, size, colorScheme);
        const view = `${size.name}, ${colorScheme}`;
        await assistantMessages(page).last().getByRole('table').waitFor();
        expect(await horizontalOverflow(page), view).toBe(0);
        // The question and the start of the answer. Scrolling there must move the conversation, not the app: the
        // top bar stays on screen.
        await userMessages(page)
          .last()
          .evaluate((article) => {
            article.style.scrollMarginTop = '1.5rem';
            article.scrollIntoView({ block: 'start' });
          });
        expect((await page.getByRole('heading', { level: 1 }).boundingBox())?.y, view).toBeGreaterThanOrEqual(0);
        if (UPDATE && size.name !== 'small phone') {
          // Without the focus ring the last send left on the message box.
          await messageBox(page).blur();
          await animationsSettled(page);
          await page.screenshot({
            path: `${SCREENSHOTS_DIR}${size.name}-${colorScheme}.png`,
            animations: 'disabled',
            caret: 'hide',
          });
        }
      }
    }
  });
});
