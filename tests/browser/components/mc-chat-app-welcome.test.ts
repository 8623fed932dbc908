import { describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { DEFAULT_SETTINGS, applySettingsChanges } from '../../../src/domain/settings.js';
import type { GpuAvailable } from '../../../src/engines/webllm/gpu-probe.js';
import { EMPTY, FakeSource, expectNoAxeViolations, fakeActions, mountApp } from './app-harness.js';
import { appState, conversation, focusedElement, localState, mount } from './fixtures.js';

const app = mountApp;

function gpu(message: string, software = false): GpuAvailable {
  return {
    available: true,
    adapter: { vendor: 'apple', architecture: 'metal-3', description: 'Apple M2', isFallbackAdapter: false },
    features: ['shader-f16'],
    shaderF16: true,
    maxBufferSize: 4 * 1024 ** 3,
    maxStorageBufferBindingSize: 2 * 1024 ** 3,
    meetsLimits: true,
    software,
    message,
  };
}

describe('mc-chat-app welcome', () => {
  const welcomeRegion = () => page.getByRole('region', { name: /welcome/i });

  it('welcomes a first visit in place of the empty conversation, until dismissed, and remembers that', async () => {
    const { element } = await app(EMPTY);
    await expect.element(welcomeRegion()).toBeVisible();
    await expect.element(page.getByRole('log', { name: 'Conversation' })).not.toBeInTheDocument();
    await userEvent.click(page.getByRole('button', { name: 'Got it' }));
    await expect.element(welcomeRegion()).not.toBeInTheDocument();
    await expect.element(page.getByRole('log', { name: 'Conversation' })).toBeVisible();
    await expect.poll(focusedElement).toBe(page.getByRole('textbox', { name: 'Message' }).element());

    element.remove();
    await app(EMPTY);
    await expect.element(page.getByRole('log', { name: 'Conversation' })).toBeVisible();
    await expect.element(welcomeRegion()).not.toBeInTheDocument();
  });

  it('welcomes a first visit in the first frame, before storage answers, but not where a conversation will open', async () => {
    const { element } = await app(appState({ ...EMPTY, ready: false }));
    await expect.element(welcomeRegion()).toBeVisible();
    element.remove();
    await app(
      appState({ ...EMPTY, ready: false, conversations: [conversation('c1', 'Soon')], activeConversationId: 'c1' }),
    );
    await expect.element(page.getByRole('heading', { name: 'Soon' })).toBeVisible();
    await expect.element(welcomeRegion()).not.toBeInTheDocument();
  });

  it('is not shown over a conversation with messages', async () => {
    await app();
    await expect.element(page.getByRole('log', { name: 'Conversation' })).toBeVisible();
    await expect.element(welcomeRegion()).not.toBeInTheDocument();
  });

  it('goes away for good once a first message is sent', async () => {
    const { element, actions } = await app(EMPTY);
    await userEvent.fill(page.getByRole('textbox', { name: 'Message' }), 'Hello');
    await userEvent.keyboard('{Enter}');
    await expect.element(welcomeRegion()).not.toBeInTheDocument();
    await expect.element(page.getByRole('log', { name: 'Conversation' })).toBeVisible();
    await expect.poll(() => actions.send.mock.calls).toEqual([['Hello']]);
    element.remove();
    await app(EMPTY);
    await expect.element(welcomeRegion()).not.toBeInTheDocument();
  });

  it('recommends this device when the local model state found a GPU that runs the model', async () => {
    const message = 'WebGPU is ready on Apple M2.';
    await app(appState({ local: localState({ gpu: gpu(message), gpuSummary: { level: 'ok', message } }) }));
    const deviceCard = welcomeRegion().getByRole('listitem').filter({ hasText: 'This device' });
    await expect.element(deviceCard.getByText('Recommended here')).toBeVisible();
    await expect.element(deviceCard.getByText(message)).toBeVisible();
  });

  it('recommends nothing before the local model state is known, then what it says once it comes', async () => {
    const { source } = await app(EMPTY);
    await expect.element(welcomeRegion()).toBeVisible();
    expect(welcomeRegion().getByText('Recommended here').elements()).toHaveLength(0);
    const message = 'WebGPU runs on a software renderer here.';
    source.set({ local: localState({ gpu: gpu(message, true), gpuSummary: { level: 'slow', message } }) });
    const hostedCard = welcomeRegion().getByRole('listitem').filter({ hasText: 'Hugging Face API' });
    await expect.element(hostedCard.getByText('Recommended here')).toBeVisible();
  });

  it('"Use Hugging Face API" switches engine and opens Settings on the token; closing it lands in the message box', async () => {
    const source = new FakeSource(appState({ settings: { ...DEFAULT_SETTINGS, engine: 'local' } }));
    const actions = fakeActions();
    actions.updateSettings.mockImplementation(async (patch) => {
      source.set({ settings: applySettingsChanges(source.state.settings, patch) });
    });
    const element = document.createElement('mc-chat-app');
    element.source = source;
    element.actions = actions;
    const opened = vi.fn();
    element.addEventListener('mc-settings-open', opened);
    await mount(element);

    await userEvent.click(page.getByRole('button', { name: 'Use Hugging Face API' }));
    expect(actions.updateSettings).toHaveBeenCalledExactlyOnceWith({ engine: 'hosted' });
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await expect.element(dialog).toBeVisible();
    expect(opened).toHaveBeenCalledOnce();
    await expect.poll(focusedElement).toBe(dialog.getByRole('textbox', { name: 'Hugging Face token' }).element());
    await userEvent.keyboard('{Escape}');
    await expect.element(welcomeRegion()).not.toBeInTheDocument();
    expect(focusedElement()).toBe(page.getByRole('textbox', { name: 'Message' }).element());
  });

  it('"Use this device" switches engine and opens Settings, where the model download is', async () => {
    const { actions } = await app(EMPTY);
    await userEvent.click(page.getByRole('button', { name: 'Use this device' }));
    expect(actions.updateSettings).toHaveBeenCalledExactlyOnceWith({ engine: 'local' });
    await expect.element(page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
  });

  it('has no axe violations', async () => {
    const message = 'WebGPU runs on a software renderer here.';
    const { element } = await app(
      appState({ local: localState({ gpu: gpu(message, true), gpuSummary: { level: 'slow', message } }) }),
    );
    await expect.element(welcomeRegion()).toBeVisible();
    await expectNoAxeViolations(element);
  });
});

describe('mc-chat-app theme', () => {
  it("makes the browser's own colour (theme-color) follow a chosen theme, and the system again on System", async () => {
    const metas = (['light', 'dark'] as const).map((scheme) => {
      const meta = document.createElement('meta');
      meta.name = 'theme-color';
      meta.content = scheme === 'light' ? '#ffffff' : '#16171b';
      meta.media = `(prefers-color-scheme: ${scheme})`;
      document.head.append(meta);
      return meta;
    });
    try {
      await app();
      await userEvent.click(page.getByRole('button', { name: 'Settings' }));
      const theme = page.getByRole('radiogroup', { name: 'Theme' });
      await userEvent.click(theme.getByRole('radio', { name: 'Dark' }));
      expect(metas.map((meta) => meta.media)).toEqual(['not all', 'all']);
      await userEvent.click(theme.getByRole('radio', { name: 'Light' }));
      expect(metas.map((meta) => meta.media)).toEqual(['all', 'not all']);
      await userEvent.click(theme.getByRole('radio', { name: 'System' }));
      expect(metas.map((meta) => meta.media)).toEqual([
        '(prefers-color-scheme: light)',
        '(prefers-color-scheme: dark)',
      ]);
    } finally {
      for (const meta of metas) meta.remove();
    }
  });

  it('applies the saved theme as it is created, before any render', () => {
    localStorage.setItem('mc-theme', 'dark');
    document.createElement('mc-chat-app');
    expect(document.documentElement.dataset.theme).toBe('dark');
  });

  it('changes and remembers the theme from Settings; System follows the device again', async () => {
    await app();
    await userEvent.click(page.getByRole('button', { name: 'Settings' }));
    const theme = page.getByRole('dialog', { name: 'Settings' }).getByRole('radiogroup', { name: 'Theme' });
    await expect.element(theme.getByRole('radio', { name: 'System' })).toBeChecked();

    await userEvent.click(theme.getByRole('radio', { name: 'Dark' }));
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(localStorage.getItem('mc-theme')).toBe('dark');
    expect(getComputedStyle(document.body).colorScheme).toBe('dark');

    await userEvent.click(theme.getByRole('radio', { name: 'System' }));
    expect(document.documentElement.dataset.theme).toBeUndefined();
    expect(localStorage.getItem('mc-theme')).toBe('system');
  });
});
