import { describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import '../../../src/components/mc-transcript.js';
import type { MessageRecord } from '../../../src/state/types.js';
import { assistantMessage, mount, userMessage } from './fixtures.js';

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

  it('offers Regenerate on the last reply only, and not while one streams', async () => {
    const { element, log } = await transcript(EXCHANGE);
    const regenerate = log.getByRole('button', { name: 'Regenerate' });
    expect(regenerate.elements()).toHaveLength(1);
    await expect.element(log.getByRole('article').last().getByRole('button', { name: 'Regenerate' })).toBeVisible();
    const regenerated = vi.fn();
    element.addEventListener('mc-regenerate', regenerated);
    await userEvent.click(regenerate);
    expect(regenerated).toHaveBeenCalledOnce();

    element.messages = [
      ...EXCHANGE,
      userMessage('u3', 'More?'),
      assistantMessage('a3', 'Wri', { status: 'streaming' }),
    ];
    element.streamingMessageId = 'a3';
    await element.updateComplete;
    await expect.element(regenerate).not.toBeInTheDocument();
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
