// The hosted model catalogue through the built app: the default model gone from the router, the one-click
// recovery from a "not served" reply, and the last good list when the router and the Hub cannot be reached. The
// router's /v1/models, the Hub API and the chat route are intercepted with fixtures recorded from the documented
// shape (tests/fixtures/hf-catalogue/).
import type { Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  catalogueFixture,
  HF_HUB_MODELS_URL,
  interceptHuggingFaceRouter,
  interceptRouterCatalogue,
  streamReply,
  type RouterReply,
} from '../support/browser.js';
import { TEST_HF_TOKEN, useAppSessions } from '../support/e2e.js';
import { DEFAULT_MODEL } from '../support/sse.js';
import {
  alerts,
  assistantMessages,
  closeSettings,
  fillSettings,
  named,
  openApp,
  openSettings,
  reloadApp,
  replyFinished,
  sendMessage,
} from '../support/ui.js';

const harness = useAppSessions();

const list = (name: string): RouterReply => ({ contentType: 'application/json', body: catalogueFixture(name) });

const NOT_SERVED: RouterReply = {
  status: 400,
  contentType: 'application/json',
  body: JSON.stringify({
    error: {
      message: `The requested model '${DEFAULT_MODEL}' is not supported by any provider you have enabled.`,
      type: 'invalid_request_error',
      code: 'model_not_supported',
    },
  }),
};

/** The "Use <model>" button, and the model it names. */
async function useButton(scope: ReturnType<typeof alerts>) {
  const button = scope.getByRole('button', { name: /^\s*Use \S+\/\S+\s*$/ }).first();
  await button.waitFor();
  const name = (await button.textContent())?.trim() ?? '';
  return { button, model: name.replace(/^Use\s+/, '') };
}

describe('hosted model catalogue', () => {
  it('with the default model gone, Settings says so before the first send and one click gets a streamed reply', async () => {
    const { page, context } = harness.session();
    const catalogue = await interceptRouterCatalogue(context, () => list('router-mistral-absent'));
    const router = await interceptHuggingFaceRouter(context, () => streamReply(['Hello', ' from', ' a live model.']));
    await openApp(page, harness.appUrl);

    const dialog = await openSettings(page);
    await dialog.getByRole('radio', { name: named('Hugging Face API') }).check();
    const token = dialog.getByRole('textbox', { name: named('Hugging Face token') });
    await token.fill(TEST_HF_TOKEN);
    await token.blur();
    await dialog.getByText(`No provider serves ${DEFAULT_MODEL} right now.`).waitFor();
    const { button, model } = await useButton(dialog);
    expect(model).not.toBe(DEFAULT_MODEL);
    // Nothing was switched without the click, and no token went with the public catalogue look-up.
    expect(router).toHaveLength(0);
    expect(catalogue.length).toBeGreaterThan(0);
    expect(catalogue.every((request) => request.headers['authorization'] === undefined)).toBe(true);
    await button.click();
    await dialog.getByText(`No provider serves ${DEFAULT_MODEL} right now.`).waitFor({ state: 'detached' });
    await closeSettings(page);

    await sendMessage(page, 'Hello');
    await assistantMessages(page).filter({ hasText: 'Hello from a live model.' }).waitFor();
    expect(router).toHaveLength(1);
    expect(router[0]?.body).toMatchObject({ model, stream: true });
    expect(router[0]?.headers['authorization']).toBe(`Bearer ${TEST_HF_TOKEN}`);
    await expect.poll(() => page.getByRole('status').filter({ hasText: model }).count()).toBeGreaterThan(0);
  });

  it('a reply refused as not served offers "Use <model>": one click switches and answers the question again', async () => {
    const { page, context } = harness.session();
    // The list said the default was served when Settings opened; by the time of the reply it no longer is.
    await interceptRouterCatalogue(context, (index) =>
      list(index === 0 ? 'router-mistral-present' : 'router-mistral-absent'),
    );
    const router = await interceptHuggingFaceRouter(context, (_request, index) =>
      index === 0 ? NOT_SERVED : streamReply(['Answered', ' after', ' all.']),
    );
    await openApp(page, harness.appUrl);
    await fillSettings(page, { engine: 'Hugging Face API', hfToken: TEST_HF_TOKEN });

    await sendMessage(page, 'What is a quokka?');
    const alert = alerts(page).filter({ hasText: /No Inference Provider you have enabled serves/ });
    await alert.waitFor();
    const { button, model } = await useButton(alert);
    expect(model).not.toBe(DEFAULT_MODEL);
    await button.click();

    await assistantMessages(page).filter({ hasText: 'Answered after all.' }).waitFor();
    await replyFinished(page, 1);
    expect(router.map((request) => (request.body as { model: string }).model)).toEqual([DEFAULT_MODEL, model]);
    const question = (router[1]?.body as { messages: { role: string; content: string }[] }).messages.at(-1);
    expect(question).toEqual({ role: 'user', content: 'What is a quokka?' });
    await alert.waitFor({ state: 'detached' });
  });

  it('when neither the router nor the Hub answers, Settings shows the cached list as of its date and why', async () => {
    const { page, context } = harness.session();
    await interceptRouterCatalogue(context, () => list('router-mistral-absent'));
    await openApp(page, harness.appUrl);
    let dialog = await openSettings(page);
    await dialog.getByRole('radio', { name: named('Hugging Face API') }).check();
    await dialog.getByText(`No provider serves ${DEFAULT_MODEL} right now.`).waitFor();
    await closeSettings(page);

    const unreachable = (route: Route) => route.abort('internetdisconnected');
    await context.route('https://router.huggingface.co/v1/models', unreachable);
    await context.route(HF_HUB_MODELS_URL, unreachable);
    await reloadApp(page);
    dialog = await openSettings(page);

    await dialog.getByText(/^Models as of /).waitFor();
    await dialog.getByRole('alert').waitFor();
    // The cached list still knows the default is not served, and still offers the live model.
    await dialog.getByText(`No provider serves ${DEFAULT_MODEL} right now.`).waitFor();
    await useButton(dialog);
  });
});
