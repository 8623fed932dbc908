// The hosted path through the real Hugging Face client against an intercepted router.huggingface.co.
import { describe, expect, it } from 'vitest';
import { HF_ROUTER_CHAT_URL, interceptHuggingFaceRouter, streamReply } from '../support/browser.js';
import { TEST_HF_TOKEN, useAppSessions } from '../support/e2e.js';
import { DEFAULT_MODEL } from '../support/sse.js';
import {
  assistantMessages,
  conversationEntry,
  fillSettings,
  openApp,
  reloadApp,
  sendMessage,
  stopButton,
  userMessages,
} from '../support/ui.js';

const harness = useAppSessions();

interface SentMessage {
  role: string;
  content: string;
}

describe('hosted Hugging Face router', () => {
  it('streams the reply into the transcript and keeps the conversation after a reload', async () => {
    const { page, context } = harness.session();
    const router = await interceptHuggingFaceRouter(context, () =>
      streamReply(['Bonjour', ', je', ' suis', ' Mistral', ' sur', ' le', ' routeur.']),
    );
    await openApp(page, harness.appUrl);
    await fillSettings(page, { engine: 'Hugging Face API', hfToken: TEST_HF_TOKEN, hfModel: DEFAULT_MODEL });

    await sendMessage(page, 'Hello');

    await assistantMessages(page).filter({ hasText: 'Bonjour, je suis Mistral sur le routeur.' }).waitFor();
    expect(router).toHaveLength(1);
    const [request] = router;
    expect(request?.url).toBe(HF_ROUTER_CHAT_URL);
    expect(request?.method).toBe('POST');
    expect(request?.headers['authorization']).toBe(`Bearer ${TEST_HF_TOKEN}`);
    expect(request?.body).toMatchObject({ model: DEFAULT_MODEL, stream: true });

    await reloadApp(page);
    await conversationEntry(page, 'Hello').click();
    await userMessages(page).filter({ hasText: 'Hello' }).waitFor();
    await assistantMessages(page).filter({ hasText: 'Bonjour, je suis Mistral sur le routeur.' }).waitFor();
    expect(router).toHaveLength(1);
  });

  it('sends a second turn as strictly alternating roles, any system message first', async () => {
    const { page, context } = harness.session();
    const router = await interceptHuggingFaceRouter(context, (_request, index) =>
      streamReply(index === 0 ? ['First', ' answer.'] : ['Second', ' answer.']),
    );
    await openApp(page, harness.appUrl);
    await fillSettings(page, { engine: 'Hugging Face API', hfToken: TEST_HF_TOKEN });

    await sendMessage(page, 'Hello');
    await assistantMessages(page).filter({ hasText: 'First answer.' }).waitFor();
    await stopButton(page).waitFor({ state: 'hidden' });
    await sendMessage(page, 'And a follow-up question');
    await assistantMessages(page).filter({ hasText: 'Second answer.' }).waitFor();

    expect(router).toHaveLength(2);
    const messages = (router[1]?.body as { messages: SentMessage[] }).messages;
    const conversation = messages[0]?.role === 'system' ? messages.slice(1) : messages;
    expect(conversation.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(conversation.map((message) => message.content.trim())).toEqual([
      'Hello',
      'First answer.',
      'And a follow-up question',
    ]);
  });
});
