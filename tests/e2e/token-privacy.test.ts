// The Hugging Face token goes to Hugging Face and nowhere else: not to a custom endpoint, not to the app's own
// host, not into the console (where error objects that carry request headers tend to end up).
import { describe, expect, it } from 'vitest';
import { errorReply, interceptHuggingFaceRouter, requestText } from '../support/browser.js';
import { HF_ROUTER, openAppOnEndpoint, TEST_HF_TOKEN, useAppSessions, useLocalSseServer } from '../support/e2e.js';
import { alerts, assistantMessages, fillSettings, sendMessage, stopButton } from '../support/ui.js';

const harness = useAppSessions();
const server = useLocalSseServer({ tokens: ['Local', ' answer.'] });

const isHuggingFaceHost = (url: string) => {
  const { hostname } = new URL(url);
  return hostname === 'huggingface.co' || hostname.endsWith('.huggingface.co') || hostname === 'hf.co';
};

describe('Hugging Face token privacy', () => {
  it('never reaches a non-Hugging-Face host or the console, on success or on error', async () => {
    const { page, context, consoleLines, requests } = harness.session();
    const router = await interceptHuggingFaceRouter(context, () => errorReply(401, 'Invalid credentials in header'));

    await openAppOnEndpoint(page, harness.appUrl, server.url);
    await sendMessage(page, 'Hello local server');
    await assistantMessages(page).filter({ hasText: 'Local answer.' }).waitFor();
    await stopButton(page).waitFor({ state: 'hidden' });

    await fillSettings(page, { engine: 'Hugging Face API', endpointUrl: HF_ROUTER });
    await sendMessage(page, 'Hello router');
    await alerts(page).first().waitFor();

    // The token was really configured: Hugging Face got it.
    expect(router[0]?.headers['authorization']).toBe(`Bearer ${TEST_HF_TOKEN}`);
    expect(server.chatRequests()).toHaveLength(1);
    for (const request of server.requests) {
      expect(JSON.stringify(request.headers)).not.toContain(TEST_HF_TOKEN);
      expect(JSON.stringify(request.body ?? '')).not.toContain(TEST_HF_TOKEN);
    }
    const elsewhere = requests.filter((request) => !isHuggingFaceHost(request.url()));
    expect(elsewhere.length).toBeGreaterThan(0);
    for (const request of elsewhere) expect(await requestText(request)).not.toContain(TEST_HF_TOKEN);
    expect(consoleLines.filter((line) => line.includes(TEST_HF_TOKEN))).toEqual([]);
  });
});
