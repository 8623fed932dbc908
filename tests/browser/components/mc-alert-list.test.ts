import { describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import '../../../src/components/mc-alert-list.js';
import { mount } from './fixtures.js';

describe('mc-alert-list', () => {
  it('shows each alert with a Dismiss button that asks to remove that alert', async () => {
    const element = document.createElement('mc-alert-list');
    element.alerts = [
      { id: 1, message: 'The Hugging Face token was refused. Paste a new one in Settings.' },
      { id: 2, message: 'You are offline. Reconnect, then send again.' },
    ];
    const dismissed = vi.fn<(id: number) => void>();
    element.addEventListener('mc-dismiss-alert', (event) => dismissed(event.detail.id));
    await mount(element);

    const alerts = page.getByRole('alert');
    expect(alerts.elements()).toHaveLength(2);
    await expect.element(alerts.first()).toHaveTextContent('The Hugging Face token was refused.');
    await userEvent.click(alerts.last().getByRole('button', { name: 'Dismiss' }));
    expect(dismissed).toHaveBeenCalledExactlyOnceWith(2);
  });

  it('offers an alert’s button and link, and asks for the action of that alert only', async () => {
    const element = document.createElement('mc-alert-list');
    element.alerts = [
      {
        id: 3,
        message: 'No Inference Provider you have enabled serves mistralai/Mistral-7B-Instruct-v0.3.',
        action: { kind: 'use-model', model: 'meta-llama/Llama-3.1-8B-Instruct', messageId: 'r1' },
      },
      {
        id: 4,
        message: 'meta-llama/Llama-3.1-8B-Instruct is gated.',
        action: {
          kind: 'link',
          label: 'Open meta-llama/Llama-3.1-8B-Instruct on Hugging Face',
          href: 'https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct',
        },
      },
    ];
    const chosen = vi.fn<(id: number) => void>();
    element.addEventListener('mc-alert-action', (event) => chosen(event.detail.id));
    await mount(element);

    await userEvent.click(page.getByRole('button', { name: 'Use meta-llama/Llama-3.1-8B-Instruct' }));
    expect(chosen).toHaveBeenCalledExactlyOnceWith(3);
    const link = page
      .getByRole('alert')
      .last()
      .getByRole('link', { name: 'Open meta-llama/Llama-3.1-8B-Instruct on Hugging Face' });
    await expect.element(link).toHaveAttribute('href', 'https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct');
    await expect.element(link).toHaveAttribute('rel', 'noopener noreferrer');
  });
});
