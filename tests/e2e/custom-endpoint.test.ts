// A custom OpenAI-compatible endpoint (a local SSE server standing in for vLLM / llama.cpp / TGI).
import { describe, expect, it } from 'vitest';
import { openAppOnEndpoint, useAppSessions, useLocalSseServer } from '../support/e2e.js';
import { numberedTokens, numbersIn } from '../support/sse-server.js';
import {
  alerts,
  assistantMessages,
  conversationEntry,
  flatText,
  reloadApp,
  sendMessage,
  stopButton,
} from '../support/ui.js';

const harness = useAppSessions();
const server = useLocalSseServer();

describe('custom OpenAI-compatible endpoint', () => {
  it('stops a slow stream: the connection closes and the partial reply stays, also after a reload', async () => {
    const { page } = harness.session();
    server.configure({ tokens: numberedTokens(200), tokenDelayMs: 30 });
    await openAppOnEndpoint(page, harness.appUrl, server.url);

    await sendMessage(page, 'Count slowly');
    const reply = assistantMessages(page).last();
    await reply.filter({ hasText: '[5]' }).waitFor();
    await stopButton(page).click();

    await stopButton(page).waitFor({ state: 'hidden' });
    await expect.poll(() => server.chatRequests()[0]?.disconnected, { timeout: 10_000 }).toBe(true);
    const [request] = server.chatRequests();
    expect(request?.completed).toBe(false);
    expect(request?.body).toMatchObject({ stream: true });
    const shown = numbersIn(await flatText(reply));
    const lastShown = Math.max(...shown);
    expect(lastShown).toBeGreaterThanOrEqual(5);
    expect(lastShown).toBeLessThan(200);

    await reloadApp(page);
    await conversationEntry(page, 'Count slowly').click();
    await assistantMessages(page)
      .filter({ hasText: `[${lastShown}]` })
      .waitFor();
  });

  it('keeps the partial reply and shows an alert when the server fails mid-stream', async () => {
    const { page } = harness.session();
    server.configure({ tokens: numberedTokens(10), errorAfterTokens: 3 });
    await openAppOnEndpoint(page, harness.appUrl, server.url);

    await sendMessage(page, 'Hello');

    await alerts(page).first().waitFor();
    await stopButton(page).waitFor({ state: 'hidden' });
    await assistantMessages(page).filter({ hasText: '[1] [2] [3]' }).waitFor();
    expect(await flatText(assistantMessages(page).last())).not.toContain('[4]');
  });

  it('explains a server without CORS headers in an alert that names CORS', async () => {
    const { page } = harness.session();
    server.configure({ cors: false });
    await openAppOnEndpoint(page, harness.appUrl, server.url);

    await sendMessage(page, 'Hello');

    await alerts(page)
      .filter({ hasText: /\bCORS\b/i })
      .first()
      .waitFor();
    // The server was reachable (Settings asked it for its /models first), only the CORS headers were missing: the
    // page never read a word of its answer. (After that failed look-up, Chromium was seen to send the chat request
    // without a preflight and refuse its answer, rather than refuse a preflight; either way nothing is read.)
    expect(server.requests.some((request) => request.path.endsWith('/models'))).toBe(true);
    expect(await assistantMessages(page).filter({ hasText: 'Hello from the local server.' }).count()).toBe(0);
  });
});
