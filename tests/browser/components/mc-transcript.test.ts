import axe from 'axe-core';
import { describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { McMessage } from '../../../src/components/mc-message.js';
import { FULL_RENDER_LIMIT, INITIAL_TAIL, MAX_SHOWN, PAGE_SIZE } from '../../../src/components/mc-transcript.js';
import type { MessageRecord } from '../../../src/domain/records.js';
import { assistantMessage, focusedElement, mount, userMessage } from './fixtures.js';

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

async function transcript(messages: MessageRecord[], streamingMessageId: string | null = null) {
  const element = document.createElement('mc-transcript');
  element.messages = messages;
  element.streamingMessageId = streamingMessageId;
  element.style.height = '300px';
  await mount(element);
  return { element, log: page.getByRole('log', { name: 'Conversation' }) };
}

const EXCHANGE = [
  userMessage('u1', 'What is WebGPU?'),
  assistantMessage('a1', 'A web API for the GPU.', {
    usage: { promptTokens: 10, completionTokens: 42, decodeTokensPerSecond: 21.34, timeToFirstTokenMs: 420 },
  }),
  userMessage('u2', 'And WebLLM?'),
  assistantMessage('a2', 'It runs models with it.', { engine: 'local', model: 'Mistral-7B-Instruct-v0.3-q4f16_1-MLC' }),
];

describe('mc-transcript and mc-message', () => {
  it('shows a log named Conversation with one article per message, named by who wrote it', async () => {
    const { log } = await transcript(EXCHANGE);
    const articles = log.getByRole('article').elements();
    expect(articles.map((article) => article.getAttribute('aria-label'))).toEqual([
      'You',
      'Assistant, Hugging Face API',
      'You',
      'Assistant, This device',
    ]);
    await expect.element(log.getByRole('article', { name: 'You' }).first()).toHaveTextContent('What is WebGPU?');
    await expect.element(log.getByText('Mistral-7B-Instruct-v0.3-q4f16_1-MLC')).toBeVisible();
    await expect.element(log.getByText('42 tokens · 21.3 tokens/s · first token in 0.42 s')).toBeVisible();
  });

  it('names the provider of a hosted reply that did not come from the Hugging Face router', async () => {
    await transcript([
      userMessage('u1', 'Hi'),
      assistantMessage('a1', 'Hello.', { model: 'mistral:7b-instruct-v0.3-q4_K_M', provider: 'ollama' }),
      userMessage('u2', 'And you?', 'c1'),
      assistantMessage('a2', 'Fine.', { model: 'meta-llama/Llama-3.1-8B-Instruct', provider: 'huggingface' }),
    ]);
    const replies = page.getByRole('article', { name: /^Assistant/ });
    await expect.element(replies.first()).toHaveTextContent('mistral:7b-instruct-v0.3-q4_K_M · Ollama');
    await expect.element(replies.last()).toHaveTextContent('meta-llama/Llama-3.1-8B-Instruct');
    await expect.element(replies.last()).not.toHaveTextContent('·');
  });

  it('greets with a hint when the conversation is empty', async () => {
    const { log } = await transcript([]);
    await expect.element(log.getByRole('heading', { name: 'How can I help?' })).toBeVisible();
    expect(log.getByRole('article').elements()).toHaveLength(0);
  });

  it('says what became of a reply: stopped, failed, interrupted', async () => {
    const { log } = await transcript([
      assistantMessage('a1', 'Partial', { status: 'stopped' }),
      assistantMessage('a2', '', { status: 'error', error: 'The token was refused. Check it in Settings.' }),
      assistantMessage('a3', 'Half', { status: 'interrupted' }),
    ]);
    await expect.element(log.getByText('Stopped', { exact: true })).toBeVisible();
    await expect.element(log.getByText('The token was refused. Check it in Settings.')).toBeVisible();
    await expect.element(log.getByText('Interrupted', { exact: true })).toBeVisible();
  });

  it('offers Regenerate on every reply, for that reply, and nothing that starts a reply while one streams', async () => {
    const { element, log } = await transcript(EXCHANGE);
    const regenerate = log.getByRole('button', { name: 'Regenerate' });
    expect(regenerate.elements()).toHaveLength(2);
    const regenerated = vi.fn<(id: string) => void>();
    element.addEventListener('mc-regenerate', (event) => regenerated(event.detail.messageId));
    await userEvent.click(
      log.getByRole('article', { name: 'Assistant, Hugging Face API' }).getByRole('button', { name: 'Regenerate' }),
    );
    expect(regenerated).toHaveBeenCalledExactlyOnceWith('a1');

    element.messages = [
      ...EXCHANGE,
      userMessage('u3', 'More?'),
      assistantMessage('a3', 'Wri', { status: 'streaming' }),
    ];
    element.streamingMessageId = 'a3';
    await element.updateComplete;
    await expect.element(regenerate).not.toBeInTheDocument();
    await expect.element(log.getByRole('button', { name: 'Edit' })).not.toBeInTheDocument();
  });

  it('offers a reply to a last message of the user that was left without one', async () => {
    const { element, log } = await transcript([...EXCHANGE, userMessage('u3', 'And then?')]);
    const regenerated = vi.fn<(id: string) => void>();
    element.addEventListener('mc-regenerate', (event) => regenerated(event.detail.messageId));
    const last = log.getByRole('article').last();
    await userEvent.click(last.getByRole('button', { name: 'Regenerate' }));
    expect(regenerated).toHaveBeenCalledExactlyOnceWith('u3');
    expect(
      log.getByRole('article', { name: 'You' }).getByRole('button', { name: 'Regenerate' }).elements(),
    ).toHaveLength(1);
  });

  it('copies a message to the clipboard and says whether it worked', async () => {
    const { element, log } = await transcript(EXCHANGE);
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue();
    const copied = vi.fn<(ok: boolean) => void>();
    element.addEventListener('mc-copy', (event) => copied(event.detail.copied));
    await userEvent.click(
      log.getByRole('article', { name: 'Assistant, This device' }).getByRole('button', { name: 'Copy' }),
    );
    expect(writeText).toHaveBeenCalledWith('It runs models with it.');
    await expect.poll(() => copied.mock.calls).toEqual([[true]]);

    writeText.mockRejectedValue(new DOMException('Denied', 'NotAllowedError'));
    await userEvent.click(log.getByRole('article', { name: 'You' }).first().getByRole('button', { name: 'Copy' }));
    await expect.poll(() => copied.mock.calls).toEqual([[true], [false]]);
    writeText.mockRestore();
  });

  it('marks the streaming reply busy and announces only its start and end', async () => {
    const streaming = assistantMessage('a3', '', { status: 'streaming' });
    const { element, log } = await transcript([...EXCHANGE, userMessage('u3', 'More?'), streaming], 'a3');
    const reply = log.getByRole('article').last();
    await expect.element(reply).toHaveAttribute('aria-busy', 'true');
    await expect.element(reply.getByRole('button', { name: 'Copy' })).not.toBeInTheDocument();
    await expect.element(page.getByText('Assistant is replying…')).toBeInTheDocument();

    element.messages = [
      ...EXCHANGE,
      userMessage('u3', 'More?'),
      { ...streaming, content: 'Done.', status: 'complete' },
    ];
    element.streamingMessageId = null;
    await element.updateComplete;
    await expect.element(reply).toHaveAttribute('aria-busy', 'false');
    await expect.element(page.getByText('Reply finished')).toBeInTheDocument();
    await expect.element(reply.getByRole('button', { name: 'Copy' })).toBeVisible();
  });

  it('follows a streaming reply, stops following when the reader scrolls up, and jumps back on request', async () => {
    const long = Array.from({ length: 12 }, (_, i) =>
      i % 2 === 0 ? userMessage(`u${i}`, `Question ${i}`) : assistantMessage(`a${i}`, `Answer ${i}\n`.repeat(4)),
    );
    const streaming = assistantMessage('s', 'Start', { status: 'streaming' });
    const { element } = await transcript([...long, streaming], 's');
    const scroller = element.shadowRoot!.querySelector<HTMLElement>('.scroller')!;
    const distanceFromBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight;
    await expect.poll(distanceFromBottom).toBeLessThan(2);

    element.messages = [...long, { ...streaming, content: 'Start\n'.repeat(30) }];
    await expect.poll(distanceFromBottom).toBeLessThan(2);

    await userEvent.wheel(scroller, { direction: 'up', times: 3 });
    const jump = page.getByRole('button', { name: 'Jump to latest' });
    await expect.element(jump).toBeVisible();
    const readingAt = scroller.scrollTop;
    element.messages = [...long, { ...streaming, content: 'Start\n'.repeat(60) }];
    await element.updateComplete;
    // Resize observers run after the frame's rAF callbacks: two frames cover a wrongful scroll.
    await nextFrame();
    await nextFrame();
    expect(scroller.scrollTop).toBe(readingAt);

    await userEvent.click(jump);
    expect(distanceFromBottom()).toBeLessThan(2);
    await expect.element(jump).not.toBeInTheDocument();
  });
});

describe('mc-message actions', () => {
  const BRANCHED = [
    userMessage('u1', 'Plan a day in Porto'),
    assistantMessage('a1', 'Start at the Ribeira.'),
    userMessage('u2', 'Cheaper, please'),
    assistantMessage('a2', 'Walk along the river.', { status: 'interrupted' }),
  ];
  const ALTERNATIVES = {
    u2: { position: 2, count: 3, previousId: 'u2-old', nextId: 'u2-new' },
    a1: { position: 1, count: 2, previousId: null, nextId: 'a1-b' },
  };

  async function branched() {
    const { element, log } = await transcript(BRANCHED);
    element.alternatives = ALTERNATIVES;
    await element.updateComplete;
    const events = vi.fn<(type: string, detail: unknown) => void>();
    for (const type of ['mc-edit-message', 'mc-show-alternative', 'mc-continue'] as const) {
      element.addEventListener(type, (event) => events(type, event.detail));
    }
    return { element, log, events };
  }

  it('shows "2 / 3" between Previous and Next alternative, and asks for the one chosen', async () => {
    const { log, events } = await branched();
    const edited = log.getByRole('article', { name: 'You' }).nth(1);
    await expect.element(edited.getByText('2 / 3')).toBeVisible();
    await expect.element(edited.getByRole('group', { name: 'Alternatives' })).toHaveTextContent(/Alternative 2 of 3/);
    await userEvent.click(edited.getByRole('button', { name: 'Previous alternative' }));
    await userEvent.click(edited.getByRole('button', { name: 'Next alternative' }));
    expect(events.mock.calls).toEqual([
      ['mc-show-alternative', { messageId: 'u2', direction: 'previous' }],
      ['mc-show-alternative', { messageId: 'u2', direction: 'next' }],
    ]);

    const first = log.getByRole('article', { name: 'Assistant' }).first();
    await expect.element(first.getByText('1 / 2')).toBeVisible();
    await expect.element(first.getByRole('button', { name: 'Previous alternative' })).toBeDisabled();
    // A message without alternatives shows no navigation.
    await expect.element(log.getByRole('article').first().getByRole('group')).not.toBeInTheDocument();
  });

  it('edits a message in an "Edit message" textbox: Save asks for the new text, Cancel gives focus back to Edit', async () => {
    const { log, events } = await branched();
    const message = log.getByRole('article', { name: 'You' }).first();
    await userEvent.click(message.getByRole('button', { name: 'Edit' }));
    const box = message.getByRole('textbox', { name: 'Edit message' });
    await expect.poll(() => focusedElement()).toBe(box.element());
    await expect.element(box).toHaveValue('Plan a day in Porto');
    await userEvent.fill(box, 'Plan two days in Porto');
    await userEvent.click(message.getByRole('button', { name: 'Save' }));
    expect(events).toHaveBeenCalledExactlyOnceWith('mc-edit-message', {
      messageId: 'u1',
      text: 'Plan two days in Porto',
    });
    await expect.element(box).not.toBeInTheDocument();

    await userEvent.click(message.getByRole('button', { name: 'Edit' }));
    await userEvent.fill(box, 'Something else');
    await userEvent.click(message.getByRole('button', { name: 'Cancel' }));
    await expect.poll(() => focusedElement()).toBe(message.getByRole('button', { name: 'Edit' }).element());
    await expect.element(message).toHaveTextContent('Plan a day in Porto');
    expect(events).toHaveBeenCalledOnce();
  });

  it('saves an edit on Enter, cancels it on Escape, and ignores unchanged or empty text', async () => {
    const { log, events } = await branched();
    const message = log.getByRole('article', { name: 'You' }).first();
    const box = message.getByRole('textbox', { name: 'Edit message' });
    const outside = vi.fn();
    document.body.addEventListener('keydown', outside);

    await userEvent.click(message.getByRole('button', { name: 'Edit' }));
    await userEvent.keyboard('{Escape}');
    await expect.element(box).not.toBeInTheDocument();
    expect(outside).not.toHaveBeenCalled();

    await userEvent.click(message.getByRole('button', { name: 'Edit' }));
    await userEvent.keyboard('{Enter}');
    await userEvent.click(message.getByRole('button', { name: 'Edit' }));
    await userEvent.fill(box, '   ');
    await userEvent.keyboard('{Enter}');
    expect(events).not.toHaveBeenCalled();

    await userEvent.click(message.getByRole('button', { name: 'Edit' }));
    await userEvent.fill(box, 'A day in Lisbon');
    await userEvent.keyboard('{Shift>}{Enter}{/Shift}instead');
    await userEvent.keyboard('{Enter}');
    expect(events).toHaveBeenCalledExactlyOnceWith('mc-edit-message', {
      messageId: 'u1',
      text: 'A day in Lisbon\ninstead',
    });
  });

  it('offers Continue on a stopped or interrupted reply, not on a finished one', async () => {
    const { element, log, events } = await branched();
    const buttons = log.getByRole('button', { name: 'Continue' });
    expect(buttons.elements()).toHaveLength(1);
    await userEvent.click(
      log.getByRole('article', { name: 'Assistant' }).last().getByRole('button', { name: 'Continue' }),
    );
    expect(events).toHaveBeenCalledExactlyOnceWith('mc-continue', { messageId: 'a2' });

    element.messages = [...BRANCHED.slice(0, 3), { ...BRANCHED[3]!, status: 'stopped' }];
    await element.updateComplete;
    expect(buttons.elements()).toHaveLength(1);
    element.messages = [...BRANCHED.slice(0, 3), { ...BRANCHED[3]!, status: 'complete' }];
    await element.updateComplete;
    expect(buttons.elements()).toHaveLength(0);
  });

  it('says when another tab is writing a reply, and offers nothing that would race it', async () => {
    const { element, log } = await branched();
    element.messages = [...BRANCHED.slice(0, 3), { ...BRANCHED[3]!, status: 'streaming' }];
    await element.updateComplete;
    const reply = log.getByRole('article').last();
    await expect.element(reply.getByText('Being written in another tab…')).toBeVisible();
    await expect.element(reply.getByRole('button', { name: 'Regenerate' })).not.toBeInTheDocument();
    await expect.element(reply.getByRole('button', { name: 'Continue' })).not.toBeInTheDocument();
  });

  it('keeps the alternatives in view but waiting while a reply streams', async () => {
    const { element, log } = await branched();
    element.messages = [...BRANCHED, userMessage('u3', 'More?'), assistantMessage('a3', '', { status: 'streaming' })];
    element.streamingMessageId = 'a3';
    await element.updateComplete;
    const edited = log.getByRole('article', { name: 'You' }).nth(1);
    await expect.element(edited.getByText('2 / 3')).toBeVisible();
    await expect.element(edited.getByRole('button', { name: 'Next alternative' })).toBeDisabled();
  });

  it('has no axe violations with alternatives and an edit open', async () => {
    const { element, log } = await branched();
    await userEvent.click(log.getByRole('article', { name: 'You' }).first().getByRole('button', { name: 'Edit' }));
    expect((await axe.run(element)).violations).toEqual([]);
  });
});

describe('mc-transcript with a long conversation', () => {
  const conversationOf = (count: number) =>
    Array.from({ length: count }, (_, i) =>
      i % 2 === 0 ? userMessage(`m${i}`, `Question number ${i}`) : assistantMessage(`m${i}`, `Answer number ${i}.`),
    );
  const shownIds = (element: HTMLElement) =>
    [...element.shadowRoot!.querySelectorAll('mc-message')].map((message) => message.message.id);

  it(`renders every message up to ${FULL_RENDER_LIMIT}`, async () => {
    const { element, log } = await transcript(conversationOf(FULL_RENDER_LIMIT));
    expect(shownIds(element)).toHaveLength(FULL_RENDER_LIMIT);
    await expect.element(log).toHaveAttribute('aria-live', 'polite');
    await expect.element(page.getByRole('button', { name: /Show earlier messages/ })).not.toBeInTheDocument();
  });

  it('keeps every message of a conversation that grows past the limit while open', async () => {
    const { element } = await transcript(conversationOf(FULL_RENDER_LIMIT));
    element.messages = [...conversationOf(FULL_RENDER_LIMIT), userMessage('new', 'One more question')];
    await element.updateComplete;
    expect(shownIds(element)).toHaveLength(FULL_RENDER_LIMIT + 1);
  });

  it('opens a longer one on its newest messages, and brings earlier ones on request', async () => {
    const { element, log } = await transcript(conversationOf(5_000));
    await expect.element(log.getByText('Answer number 4999.')).toBeVisible();
    expect(shownIds(element)).toEqual(
      conversationOf(5_000)
        .slice(-INITIAL_TAIL)
        .map((message) => message.id),
    );
    await expect.element(log).toHaveAttribute('aria-live', 'off');

    const earlier = log.getByRole('button', {
      name: `Show earlier messages (${(5_000 - INITIAL_TAIL).toLocaleString('en')} more)`,
    });
    // Clicked where it is: a pointer click would first scroll it into view, where it brings messages by itself.
    (earlier.element() as HTMLButtonElement).click();
    await element.updateComplete;
    expect(shownIds(element)).toHaveLength(INITIAL_TAIL + PAGE_SIZE);
    expect(shownIds(element)[0]).toBe(`m${5_000 - INITIAL_TAIL - PAGE_SIZE}`);
  });

  it('brings earlier messages in as the reader scrolls up to them, keeping the place read', async () => {
    const { element } = await transcript(conversationOf(1_000));
    const scroller = element.shadowRoot!.querySelector<HTMLElement>('.scroller')!;
    await expect.poll(() => scroller.scrollTop).toBeGreaterThan(0);
    const firstShown = shownIds(element)[0]!;
    const first = () =>
      [...element.shadowRoot!.querySelectorAll('mc-message')].find((m) => m.message.id === firstShown)!;
    scroller.scrollTop = 0;
    await expect.poll(() => shownIds(element).length).toBeGreaterThan(INITIAL_TAIL);
    // The message that was at the top is still in view: the new ones came in above it.
    const { top } = first().getBoundingClientRect();
    const view = scroller.getBoundingClientRect();
    expect(top).toBeGreaterThanOrEqual(view.top - 1);
    expect(top).toBeLessThan(view.bottom);
  });

  it('shows the newest messages while the earlier ones are read, and keeps them in place when those come', async () => {
    const all = conversationOf(5_000);
    const { element, log } = await transcript(all.slice(-50));
    element.earlierLoading = true;
    await expect.element(log.getByText('Loading earlier messages…')).toBeInTheDocument();
    await expect.element(log.getByText('Answer number 4999.')).toBeVisible();
    const newest = log.getByRole('article').filter({ hasText: 'Answer number 4999.' }).element();
    const { top } = newest.getBoundingClientRect();

    element.messages = all;
    element.earlierLoading = false;
    await element.updateComplete;
    expect(shownIds(element)).toEqual(all.slice(-50).map((message) => message.id));
    await expect
      .element(log.getByRole('button', { name: `Show earlier messages (${(4_950).toLocaleString('en')} more)` }))
      .toBeInTheDocument();
    await expect.element(log.getByText('Loading earlier messages…')).not.toBeInTheDocument();
    // The same element, where it was: the reader sees nothing move.
    expect(log.getByRole('article').filter({ hasText: 'Answer number 4999.' }).element()).toBe(newest);
    expect(newest.getBoundingClientRect().top).toBeCloseTo(top, 0);
  });

  it(`reading back through thousands of messages, keeps at most ${MAX_SHOWN} in the document`, async () => {
    const { element, log } = await transcript(conversationOf(5_000));
    const scroller = element.shadowRoot!.querySelector<HTMLElement>('.scroller')!;
    await expect.poll(() => scroller.scrollTop).toBeGreaterThan(0);
    for (let page = 0; page < 6; page++) {
      const firstBefore = shownIds(element)[0];
      // Scrolled to the top again on every check: on a loaded machine the previous page may still be settling in
      // (its scroll anchoring moves the view), and a reader keeps scrolling up too.
      await expect
        .poll(
          () => {
            scroller.scrollTop = 0;
            return shownIds(element)[0];
          },
          { timeout: 5_000 },
        )
        .not.toBe(firstBefore);
      expect(shownIds(element).length).toBeLessThanOrEqual(MAX_SHOWN);
    }
    // The newest went out at the bottom; the way back brings them in again.
    await expect.element(log.getByText('Answer number 4999.')).not.toBeInTheDocument();
    await expect.element(log.getByRole('button', { name: /^Show later messages/ })).toBeInTheDocument();
    const lastBefore = shownIds(element).at(-1);
    scroller.scrollTop = scroller.scrollHeight;
    await expect.poll(() => shownIds(element).at(-1), { timeout: 5_000 }).not.toBe(lastBefore);
    expect(shownIds(element).length).toBeLessThanOrEqual(MAX_SHOWN);
    // Messages went out above while the new ones came in below: the one read last is still in view.
    await nextFrame();
    const read = [...element.shadowRoot!.querySelectorAll('mc-message')].find((m) => m.message.id === lastBefore)!;
    const view = scroller.getBoundingClientRect();
    expect(read.getBoundingClientRect().bottom).toBeGreaterThan(view.top);
    expect(read.getBoundingClientRect().top).toBeLessThan(view.bottom);
    await userEvent.click(page.getByRole('button', { name: 'Jump to latest' }));
    await expect.element(log.getByText('Answer number 4999.')).toBeVisible();
  });

  it('takes the reader to the message a search result led to, marked and focused, in a long conversation too', async () => {
    for (const count of [40, 5_000]) {
      const { element, log } = await transcript(conversationOf(count));
      element.focusedMessageId = 'm21';
      await element.updateComplete;
      const article = log.getByRole('article').filter({ hasText: 'Answer number 21.' });
      // The article itself has focus; it lives in the shadow root of the mc-message that shows message m21.
      const focusedMessage = () => (focusedElement()?.getRootNode() as ShadowRoot | undefined)?.host as McMessage;
      await expect.poll(() => focusedMessage()?.message?.id).toBe('m21');
      expect(focusedElement()?.localName).toBe('article');
      await expect.element(article).toBeInViewport();
      document.body.replaceChildren();
    }
  });

  it('around a message far from the newest, offers later messages and the way back to the newest', async () => {
    const { element, log } = await transcript(conversationOf(5_000));
    element.focusedMessageId = 'm2001';
    await element.updateComplete;
    await expect.element(log.getByText('Answer number 2001.')).toBeInViewport();
    expect(shownIds(element)).toHaveLength(PAGE_SIZE);
    await expect.element(log.getByRole('button', { name: /^Show earlier messages/ })).toBeInTheDocument();
    await expect.element(log.getByRole('button', { name: /^Show later messages/ })).toBeInTheDocument();

    await userEvent.click(page.getByRole('button', { name: 'Jump to latest' }));
    await expect.element(log.getByText('Answer number 4999.')).toBeVisible();
    await expect.element(log.getByRole('button', { name: /^Show later messages/ })).not.toBeInTheDocument();
  });
});
