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
});
