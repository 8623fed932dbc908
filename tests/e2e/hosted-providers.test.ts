// Provider presets and any OpenAI-compatible server's /models, through the built app. Each preset's server is
// intercepted at the address the preset fills in (or a typical one for those whose address is typed), so the test
// sees exactly where every request went and which secret it carried.
import type { BrowserContext, Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { TEST_HF_TOKEN, useAppSessions, useLocalSseServer } from '../support/e2e.js';
import { sseBody } from '../support/sse.js';
import {
  alerts,
  assistantMessages,
  closeSettings,
  fillSettings,
  modelPicker,
  named,
  openApp,
  openSettings,
  replyFinished,
  sendMessage,
} from '../support/ui.js';

const harness = useAppSessions();
const server = useLocalSseServer({ models: ['mistral-7b-instruct-v0.3', 'qwen2.5-7b-instruct'] });

interface Seen {
  url: string;
  method: string;
  authorization: string | undefined;
}

/** Answers every request to `origin` as an OpenAI-compatible server would (its /models, a streamed reply). */
async function interceptServer(context: BrowserContext, origin: string, seen: Seen[]): Promise<void> {
  await context.route(`${origin}/**`, async (route: Route) => {
    const request = route.request();
    const headers = await request.allHeaders();
    seen.push({ url: request.url(), method: request.method(), authorization: headers['authorization'] });
    const cors = { 'access-control-allow-origin': '*' };
    if (request.url().endsWith('/models')) {
      await route.fulfill({ json: { object: 'list', data: [{ id: 'served-model', object: 'model' }] }, headers: cors });
      return;
    }
    await route.fulfill({
      contentType: 'text/event-stream',
      headers: cors,
      body: sseBody(['Hi', ' from', ` ${origin}`]),
    });
  });
}

interface PresetCase {
  label: string;
  /** Typed into Endpoint URL for presets whose address the user types; the others fill it in. */
  typedUrl?: string;
  /** Where the chat request must go. */
  chatUrl: string;
  /** The API key typed, if any. */
  key?: string;
  /** The Authorization header the chat request must carry. */
  expected: string | undefined;
}

const PRESETS: PresetCase[] = [
  {
    label: 'Mistral AI',
    chatUrl: 'https://api.mistral.ai/v1/chat/completions',
    key: 'mistral-key-1',
    expected: 'Bearer mistral-key-1',
  },
  {
    label: 'Ollama',
    chatUrl: 'http://localhost:11434/v1/chat/completions',
    expected: undefined,
  },
  {
    label: 'LM Studio',
    chatUrl: 'http://localhost:1234/v1/chat/completions',
    key: 'lmstudio-key-2',
    expected: 'Bearer lmstudio-key-2',
  },
  {
    label: 'llama.cpp (llama-server)',
    chatUrl: 'http://localhost:8080/v1/chat/completions',
    key: 'llamacpp-key-3',
    expected: 'Bearer llamacpp-key-3',
  },
  {
    label: 'vLLM',
    typedUrl: 'http://localhost:8000/v1',
    chatUrl: 'http://localhost:8000/v1/chat/completions',
    key: 'vllm-key-4',
    expected: 'Bearer vllm-key-4',
  },
  {
    label: 'Text Generation Inference (TGI)',
    typedUrl: 'https://tgi.example.org',
    chatUrl: 'https://tgi.example.org/v1/chat/completions',
    key: 'tgi-key-5',
    expected: 'Bearer tgi-key-5',
  },
  {
    label: 'Hugging Face Inference Endpoint',
    typedUrl: 'https://abc123.us-east-1.aws.endpoints.huggingface.cloud',
    chatUrl: 'https://abc123.us-east-1.aws.endpoints.huggingface.cloud/v1/chat/completions',
    expected: `Bearer ${TEST_HF_TOKEN}`,
  },
  {
    label: 'Custom',
    typedUrl: 'https://llm.example.com/v1',
    chatUrl: 'https://llm.example.com/v1/chat/completions',
    key: 'custom-key-6',
    expected: 'Bearer custom-key-6',
  },
];

function isHuggingFaceUrl(url: string): boolean {
  const { hostname, protocol } = new URL(url);
  return (
    protocol === 'https:' &&
    (hostname === 'huggingface.co' ||
      hostname.endsWith('.huggingface.co') ||
      hostname.endsWith('.endpoints.huggingface.cloud'))
  );
}

describe('provider presets', () => {
  it('each preset sends to its own URL with its own key only; the HF token only to Hugging Face', async () => {
    const { page, context, requests } = harness.session();
    const seen: Seen[] = [];
    for (const preset of PRESETS) await interceptServer(context, new URL(preset.chatUrl).origin, seen);
    await openApp(page, harness.appUrl);
    await fillSettings(page, { engine: 'Hugging Face API', hfToken: TEST_HF_TOKEN });

    for (const [index, preset] of PRESETS.entries()) {
      await fillSettings(page, {
        provider: preset.label,
        ...(preset.typedUrl ? { endpointUrl: preset.typedUrl } : {}),
        ...(preset.key ? { apiKey: preset.key } : {}),
      });
      await page.getByRole('button', { name: named('New chat') }).click();
      await sendMessage(page, `Hello ${preset.label}`);
      await replyFinished(page, 1);
      const chats = seen.filter((request) => request.method === 'POST');
      expect(chats).toHaveLength(index + 1);
      expect(chats.at(-1)).toEqual({ url: preset.chatUrl, method: 'POST', authorization: preset.expected });
    }

    // Every request each server got (its /models look-ups too) carried its own secret or none.
    for (const request of seen) {
      const preset = PRESETS.find((candidate) => new URL(candidate.chatUrl).origin === new URL(request.url).origin);
      expect([preset?.expected, undefined]).toContain(request.authorization);
    }
    const secrets = PRESETS.flatMap((preset) => (preset.key ? [preset.key] : []));
    for (const request of requests) {
      const headers = JSON.stringify(await request.allHeaders().catch(() => request.headers()));
      const own = PRESETS.find((preset) => new URL(preset.chatUrl).origin === new URL(request.url()).origin)?.key;
      for (const secret of secrets) if (secret !== own) expect(headers).not.toContain(secret);
      if (!isHuggingFaceUrl(request.url())) expect(headers).not.toContain(TEST_HF_TOKEN);
    }
  });

  it('a key typed for one address stays there when the URL is edited to another', async () => {
    const { page, context } = harness.session();
    const seen: Seen[] = [];
    await interceptServer(context, 'https://llm.example.com', seen);
    await interceptServer(context, 'https://other.example.net', seen);
    await openApp(page, harness.appUrl);
    await fillSettings(page, {
      engine: 'Hugging Face API',
      provider: 'Custom',
      endpointUrl: 'https://llm.example.com/v1',
      apiKey: 'sk-for-llm-example',
    });
    await fillSettings(page, { endpointUrl: 'https://other.example.net/v1' });
    await sendMessage(page, 'Hello');
    await replyFinished(page, 1);

    const chat = seen.filter((request) => request.method === 'POST');
    expect(chat).toEqual([
      { url: 'https://other.example.net/v1/chat/completions', method: 'POST', authorization: undefined },
    ]);
    expect(
      seen.filter((request) => request.url.startsWith('https://other.')).map((r) => r.authorization),
    ).not.toContain('Bearer sk-for-llm-example');
  });
});

describe('an OpenAI-compatible server’s /models', () => {
  it('lists its models in the picker; the one chosen is sent, and remembered for that server', async () => {
    const { page } = harness.session();
    await openApp(page, harness.appUrl);
    await fillSettings(page, { engine: 'Hugging Face API', provider: 'Custom', endpointUrl: server.url });

    let dialog = await openSettings(page);
    const picker = modelPicker(dialog);
    await picker.click();
    await picker.press('ArrowDown');
    await dialog.getByRole('option', { name: /qwen2\.5-7b-instruct/ }).click();
    await closeSettings(page);
    await sendMessage(page, 'Hello');
    await replyFinished(page, 1);
    expect(server.chatRequests()[0]?.body).toMatchObject({ model: 'qwen2.5-7b-instruct' });
    expect(server.requests.some((request) => request.method === 'GET' && request.path === '/v1/models')).toBe(true);

    // Back to the router, whose model is its own, and back again: the server's choice comes back with it.
    await fillSettings(page, { provider: 'Hugging Face (router)' });
    dialog = await openSettings(page);
    await expect.poll(() => modelPicker(dialog).inputValue()).toBe('mistralai/Mistral-7B-Instruct-v0.3');
    await closeSettings(page);
    await fillSettings(page, { provider: 'Custom', endpointUrl: server.url });
    dialog = await openSettings(page);
    await expect.poll(() => modelPicker(dialog).inputValue()).toBe('qwen2.5-7b-instruct');
  });

  it('a server without /models, or one answering a web page, still takes a typed id; Settings says why', async () => {
    const { page } = harness.session();
    server.configure({ models: 'html' });
    await openApp(page, harness.appUrl);
    await fillSettings(page, { engine: 'Hugging Face API', provider: 'Custom', endpointUrl: server.url });
    const dialog = await openSettings(page);
    await dialog.getByRole('alert').waitFor();
    await closeSettings(page);

    server.configure({ models: 'none' });
    await fillSettings(page, { hfModel: 'my-own-model' });
    await sendMessage(page, 'Hello');
    await assistantMessages(page).filter({ hasText: 'Hello from the local server.' }).waitFor();
    expect(server.chatRequests()[0]?.body).toMatchObject({ model: 'my-own-model' });
    expect(await alerts(page).count()).toBe(0);
  });
});
