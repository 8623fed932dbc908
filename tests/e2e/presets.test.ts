// Presets through the built app: the Preset combobox in the conversation header decides the system prompt and
// sampling of the request the intercepted hosted server receives, per conversation, and survives a reload.
import type { Page } from 'playwright';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_PRESETS } from '../../src/domain/presets.js';
import { interceptHuggingFaceRouter, streamReply } from '../support/browser.js';
import { openAppOnEndpoint, TEST_HF_TOKEN, useAppSessions, useLocalSseServer } from '../support/e2e.js';
import { DEFAULT_MODEL } from '../support/sse.js';
import {
  assistantMessages,
  conversationEntry,
  fillSettings,
  named,
  openApp,
  reloadApp,
  sendMessage,
  stopButton,
} from '../support/ui.js';

const harness = useAppSessions();
const server = useLocalSseServer({ tokens: ['Done', '.'] });
const [DEMO, PRECISE] = BUILT_IN_PRESETS as [(typeof BUILT_IN_PRESETS)[0], (typeof BUILT_IN_PRESETS)[0]];

interface SentBody {
  model?: string;
  messages: { role: string; content: string }[];
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  repetition_penalty?: number;
  seed?: number;
}

function presetCombobox(page: Page) {
  return page.getByRole('combobox', { name: named('Preset') });
}

async function sendAndWait(page: Page, text: string, replies: number): Promise<void> {
  await sendMessage(page, text);
  await expect.poll(() => assistantMessages(page).count()).toBe(replies);
  await stopButton(page).waitFor({ state: 'hidden' });
}

describe('presets', () => {
  it('a preset changing the system prompt sent: chosen for a new chat, changed mid-conversation, kept on reload', async () => {
    const { page, context } = harness.session();
    const router = await interceptHuggingFaceRouter(context, () => streamReply(['Noted', '.']));
    await openApp(page, harness.appUrl);
    await fillSettings(page, { engine: 'Hugging Face API', hfToken: TEST_HF_TOKEN, hfModel: DEFAULT_MODEL });

    await presetCombobox(page).selectOption({ label: 'Precise' });
    await sendAndWait(page, 'What is 2 + 2?', 1);
    const first = router[0]?.body as SentBody;
    expect(first.messages[0]).toEqual({ role: 'system', content: PRECISE.systemPrompt });
    expect(first).toMatchObject({ temperature: 0.2, top_p: 0.9, max_tokens: 512 });
    // Never sent to the router, whose providers differ (see the hosted engine): a custom endpoint gets it below.
    expect(first.repetition_penalty).toBeUndefined();

    await presetCombobox(page).selectOption({ label: 'Demo defaults' });
    await sendAndWait(page, 'And 3 + 3?', 2);
    const second = router[1]?.body as SentBody;
    expect(second.messages[0]).toEqual({ role: 'system', content: DEMO.systemPrompt });
    expect(second).toMatchObject({ temperature: 0.9, top_p: 0.95, max_tokens: 256 });

    await presetCombobox(page).selectOption({ label: 'None (use Settings)' });
    await sendAndWait(page, 'And 4 + 4?', 3);
    const third = router[2]?.body as SentBody;
    expect(third.messages.some((message) => message.role === 'system' && message.content !== '')).toBe(false);
    expect(third).toMatchObject({ temperature: 0.7, top_p: 0.95, max_tokens: 512 });

    // Chosen last, Creative is this conversation's and the next new chat's, after a reload too.
    await presetCombobox(page).selectOption({ label: 'Creative' });
    // Stored once another tab opening the conversation finds it: a reload any sooner could beat the write, which
    // waits its turn behind the reply's last saves.
    const other = await context.newPage();
    await openApp(other, harness.appUrl);
    await conversationEntry(other, 'What is 2 + 2?').click();
    await expect.poll(() => presetCombobox(other).inputValue()).toBe('builtin:creative');
    await other.close();
    await reloadApp(page);
    await conversationEntry(page, 'What is 2 + 2?').click();
    await expect.poll(() => presetCombobox(page).inputValue()).toBe('builtin:creative');
    await page.getByRole('button', { name: named('New chat') }).click();
    await expect.poll(() => presetCombobox(page).inputValue()).toBe('builtin:creative');
  });

  it('a preset of the user’s, made from Settings with its model, is sent whole to a custom endpoint', async () => {
    const { page } = harness.session();
    await openAppOnEndpoint(page, harness.appUrl, server.url);
    await page.getByRole('button', { name: named('Settings') }).click();
    const dialog = page.getByRole('dialog', { name: named('Settings') });
    const prompt = dialog.getByRole('textbox', { name: named('System prompt') });
    await prompt.fill('Answer like a pirate.');
    await prompt.blur();
    const seed = dialog.getByRole('spinbutton', { name: named('Seed') });
    await seed.fill('42');
    await seed.blur();
    await prompt.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: named('New preset') }).click();
    await page.getByRole('textbox', { name: named('Preset name') }).fill('Pirate');
    await page.getByRole('checkbox', { name: named('Include model') }).check();
    await page.getByRole('button', { name: named('Save preset') }).click();
    await expect.poll(() => presetCombobox(page).locator('option:checked').textContent()).toBe('Pirate');

    // Settings change afterwards; the preset keeps what it was made from.
    await fillSettings(page, { hfModel: 'someone/other-model' });
    await sendAndWait(page, 'Ahoy?', 1);
    const body = server.chatRequests()[0]?.body as SentBody;
    expect(body.messages[0]).toEqual({ role: 'system', content: 'Answer like a pirate.' });
    expect(body).toMatchObject({ model: DEFAULT_MODEL, temperature: 0.7, max_tokens: 512, seed: 42 });

    await presetCombobox(page).selectOption({ label: 'Demo defaults' });
    await sendAndWait(page, 'Again?', 2);
    const demo = server.chatRequests()[1]?.body as SentBody;
    expect(demo).toMatchObject({ model: 'someone/other-model', repetition_penalty: 1.2, max_tokens: 256 });
    expect(JSON.stringify(demo)).not.toContain(TEST_HF_TOKEN);
  });
});
