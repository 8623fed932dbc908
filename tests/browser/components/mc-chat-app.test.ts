import axe from 'axe-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import '../../../src/app/mc-chat-app.js';
import type { McChatApp } from '../../../src/app/mc-chat-app.js';
import type { AppState } from '../../../src/state/app-state.js';
import { DEFAULT_SETTINGS, applySettingsChanges } from '../../../src/domain/settings.js';
import { FakeSource, fakeActions, mountApp } from './app-harness.js';
import { appState, assistantMessage, conversation, focusedElement, mount, userMessage } from './fixtures.js';

const WITH_CONVERSATION = appState({
  conversations: [conversation('c2', 'Trip to Lisbon', 2), conversation('c1', 'WebGPU questions', 1)],
  activeConversationId: 'c2',
  messages: [
    userMessage('u1', 'Three days in Lisbon: what should I see?', 'c2'),
    assistantMessage('a1', 'Start in Alfama, then Belém.', {
      conversationId: 'c2',
      usage: { promptTokens: 20, completionTokens: 9 },
    }),
  ],
});

function app(state: AppState = WITH_CONVERSATION) {
  return mountApp(state);
}

async function expectNoAxeViolations(element: McChatApp): Promise<void> {
  const results = await axe.run(element);
  const found = results.violations.map(
    (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
  expect(found).toEqual([]);
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

// Vitest's default frame is phone-sized; most tests here look at the wide layout.
beforeEach(async () => {
  await page.viewport(1280, 800);
});

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
  delete document.documentElement.dataset.theme;
});

describe('mc-chat-app', () => {
  it('shows the conversations, the open one, and the engine status', async () => {
    await app();
    const nav = page.getByRole('navigation', { name: 'Conversations' });
    await expect
      .element(nav.getByRole('button', { name: 'Trip to Lisbon', exact: true }))
      .toHaveAttribute('aria-current', 'page');
    await expect.element(page.getByRole('heading', { name: 'Trip to Lisbon', level: 1 })).toBeVisible();
    const log = page.getByRole('log', { name: 'Conversation' });
    await expect.element(log.getByRole('article', { name: 'You' })).toBeVisible();
    await expect.element(log.getByRole('article', { name: 'Assistant, Hugging Face API' })).toBeVisible();
    // The engine line is the one status on the page: a plain getByRole('status') must find it unambiguously.
    await expect.element(page.getByRole('status')).toHaveTextContent('Hugging Face API · mistralai');
  });

  it('sends what is typed and stops a streaming reply', async () => {
    const { source, actions } = await app();
    await userEvent.fill(page.getByRole('textbox', { name: 'Message' }), 'And food?');
    await userEvent.keyboard('{Enter}');
    expect(actions.send).toHaveBeenCalledExactlyOnceWith('And food?');

    source.set({
      messages: [...source.state.messages, assistantMessage('a2', '', { status: 'streaming' })],
      streamingMessageId: 'a2',
    });
    await userEvent.click(page.getByRole('button', { name: 'Stop' }));
    expect(actions.stop).toHaveBeenCalledOnce();
  });

  it('passes conversation requests on: new, open, rename, delete, clear, regenerate', async () => {
    const { actions } = await app();
    const nav = page.getByRole('navigation', { name: 'Conversations' });
    await userEvent.click(nav.getByRole('button', { name: 'New chat' }));
    await userEvent.click(nav.getByRole('button', { name: 'WebGPU questions', exact: true }));
    const lisbon = nav.getByRole('listitem').filter({ hasText: 'Trip to Lisbon' });
    await userEvent.click(lisbon.getByRole('button', { name: 'Rename' }));
    await userEvent.fill(nav.getByRole('textbox', { name: 'Title' }), 'Lisbon in May');
    await userEvent.keyboard('{Enter}');
    await userEvent.click(lisbon.getByRole('button', { name: 'Delete' }));
    await userEvent.click(page.getByRole('button', { name: 'Clear conversation' }));
    await userEvent.click(page.getByRole('button', { name: 'Regenerate' }));

    expect(actions.newConversation).toHaveBeenCalledOnce();
    expect(actions.openConversation).toHaveBeenCalledExactlyOnceWith('c1');
    expect(actions.renameConversation).toHaveBeenCalledExactlyOnceWith('c2', 'Lisbon in May');
    expect(actions.deleteConversation).toHaveBeenCalledExactlyOnceWith('c2');
    expect(actions.clear).toHaveBeenCalledOnce();
    expect(actions.regenerate).toHaveBeenCalledExactlyOnceWith('a1');
  });

  it('opens Settings, applies a change, and on Escape returns focus to the Settings button', async () => {
    const { actions } = await app();
    const settingsButton = page.getByRole('button', { name: 'Settings' });
    await userEvent.click(settingsButton);
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await expect.element(dialog).toBeVisible();
    await userEvent.fill(dialog.getByRole('textbox', { name: 'Hugging Face token' }), 'hf_other');
    await userEvent.keyboard('{Escape}');
    await expect.element(dialog).not.toBeInTheDocument();
    expect(actions.updateSettings).toHaveBeenCalledExactlyOnceWith({ hfToken: 'hf_other' });
    expect(focusedElement()).toBe(settingsButton.element());
  });

  it('shows in Settings the local model panel it is given, and why this device cannot run the model', async () => {
    const { element } = await app(appState({ settings: { ...DEFAULT_SETTINGS, engine: 'local' } }));
    const panel = document.createElement('button');
    panel.textContent = 'Download model';
    element.localPanel = panel;
    element.localAvailable = false;
    element.localUnavailableReason = 'This browser has no WebGPU.';
    await userEvent.click(page.getByRole('button', { name: 'Settings' }));
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await expect.element(dialog.getByRole('button', { name: 'Download model' })).toBeVisible();
    await expect
      .element(dialog.getByRole('radio', { name: 'This device' }))
      .toHaveAccessibleDescription('This browser has no WebGPU.');
  });

  it('shows alerts and the retry notice, and passes Dismiss and Cancel on', async () => {
    const { source, actions } = await app();
    source.set({
      alerts: [{ id: 7, message: 'Hugging Face is busy. Try again in a minute.' }],
      retryNotice: { attempt: 1, maxAttempts: 3, delayMs: 4000, reason: 'Model loading' },
    });
    await expect.element(page.getByRole('alert')).toHaveTextContent('Hugging Face is busy. Try again in a minute.');
    await expect.element(page.getByText('Model loading — retrying in 4 s')).toBeVisible();
    // The notice's own polite region speaks for it: no status nested in another live region.
    expect(page.getByRole('status').elements()).toHaveLength(1);
    await userEvent.click(page.getByRole('button', { name: 'Dismiss' }));
    await userEvent.click(page.getByRole('button', { name: 'Cancel' }));
    expect(actions.dismissAlert).toHaveBeenCalledExactlyOnceWith(7);
    expect(actions.stop).toHaveBeenCalledOnce();
  });

  it('a retry that starts at once (the local engine restarting) shows its reason without a countdown', async () => {
    const { source } = await app();
    source.set({ retryNotice: { attempt: 1, maxAttempts: 1, delayMs: 0, reason: 'The local model is restarting.' } });
    await expect.element(page.getByText('The local model is restarting.', { exact: true })).toBeVisible();
    expect(page.getByText(/retrying in/).elements()).toHaveLength(0);
  });

  it('confirms a copy with a short notice', async () => {
    await app();
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue();
    await userEvent.click(page.getByRole('article', { name: 'You' }).getByRole('button', { name: 'Copy' }));
    await expect.element(page.getByText('Copied to clipboard')).toBeVisible();
    expect(writeText).toHaveBeenCalledWith('Three days in Lisbon: what should I see?');
    writeText.mockRestore();
  });

  it('renders a burst of streamed tokens once per frame, ending on the latest text', async () => {
    const { element, source } = await app();
    const renders = vi.spyOn(element as unknown as { render(): unknown }, 'render');
    let text = '';
    for (let i = 0; i < 50; i++) {
      text += `word${i} `;
      source.set({
        messages: [...WITH_CONVERSATION.messages, assistantMessage('a2', text, { status: 'streaming' })],
        streamingMessageId: 'a2',
      });
    }
    await nextFrame();
    await element.updateComplete;
    expect(renders).toHaveBeenCalledOnce();
    // The reply is Markdown, rendered in <mc-markdown>'s shadow root: look for the text as a reader sees it.
    await expect
      .element(
        page
          .getByRole('article')
          .last()
          .getByText(/word49/),
      )
      .toBeVisible();
  });

  it('still renders streamed text when animation frames do not come (a background tab)', async () => {
    const { source } = await app();
    vi.stubGlobal('requestAnimationFrame', () => 0);
    source.set({
      messages: [...WITH_CONVERSATION.messages, assistantMessage('a2', 'Hidden tab text', { status: 'streaming' })],
      streamingMessageId: 'a2',
    });
    await expect.element(page.getByText('Hidden tab text')).toBeVisible();
  });

  it('stops listening when removed', async () => {
    const { element, source } = await app();
    expect(source.listeners.size).toBe(1);
    element.remove();
    expect(source.listeners.size).toBe(0);
  });

  it('turns the conversation list into a drawer on a narrow screen', async () => {
    await page.viewport(600, 800);
    await app();
    const nav = page.getByRole('navigation', { name: 'Conversations' });
    const menu = page.getByRole('button', { name: 'Conversations menu' });
    // Hidden elements leave the accessibility tree, so a role query no longer finds the closed drawer.
    await expect.element(nav).not.toBeInTheDocument();
    await expect.element(menu).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(menu);
    await expect.element(nav).toBeVisible();
    await expect.element(menu).toHaveAttribute('aria-expanded', 'true');
    // The rest of the page is inert meanwhile: to assistive technology the drawer is a modal dialog.
    await expect
      .element(page.getByRole('dialog', { name: 'Conversations menu' }))
      .toHaveAttribute('aria-modal', 'true');
    await expect.poll(focusedElement).toBe(nav.getByRole('button', { name: 'New chat' }).element());
    await userEvent.keyboard('{Escape}');
    await expect.element(nav).not.toBeInTheDocument();
    await expect.poll(focusedElement).toBe(menu.element());
  });

  it('has no axe violations with a conversation open', async () => {
    const { element } = await app(
      appState({
        ...WITH_CONVERSATION,
        alerts: [{ id: 1, message: 'The model is still loading. Try again in a minute.' }],
        retryNotice: { attempt: 2, maxAttempts: 3, delayMs: 4000, reason: 'Model loading' },
      }),
    );
    await expectNoAxeViolations(element);
  });

  it('has no axe violations in the dark theme', async () => {
    document.documentElement.dataset.theme = 'dark';
    try {
      const { element } = await app(appState({ ...WITH_CONVERSATION, alerts: [{ id: 1, message: 'Offline.' }] }));
      await expectNoAxeViolations(element);
    } finally {
      delete document.documentElement.dataset.theme;
    }
  });

  it('has no axe violations with Settings open', async () => {
    const { element } = await app();
    await userEvent.click(page.getByRole('button', { name: 'Settings' }));
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await expect.element(dialog).toBeVisible();
    // Mid fade-in, text is translucent and its contrast would be measured too low.
    await Promise.all(
      dialog
        .element()
        .getAnimations({ subtree: true })
        .map((animation) => animation.finished),
    );
    await expectNoAxeViolations(element);
  });
});

const EMPTY = appState();

function streaming(source: FakeSource): void {
  source.set({
    messages: [...WITH_CONVERSATION.messages, assistantMessage('a2', 'Partial', { status: 'streaming' })],
    streamingMessageId: 'a2',
  });
}

describe('mc-chat-app keyboard shortcuts', () => {
  it('starts a new chat on Ctrl+Shift+O and puts the cursor in the message box', async () => {
    const { actions } = await app();
    await userEvent.keyboard('{Control>}{Shift>}O{/Shift}{/Control}');
    expect(actions.newConversation).toHaveBeenCalledOnce();
    await expect.poll(focusedElement).toBe(page.getByRole('textbox', { name: 'Message' }).element());
  });

  it('goes to "Search conversations" on Ctrl+K', async () => {
    await app();
    page.getByRole('textbox', { name: 'Message' }).element().focus();
    await userEvent.keyboard('{Control>}k{/Control}');
    await expect.poll(focusedElement).toBe(page.getByRole('searchbox', { name: 'Search conversations' }).element());
  });

  it('opens the drawer for Ctrl+K on a narrow screen, and Escape gives focus back to where it was', async () => {
    await page.viewport(390, 844);
    await app();
    const box = page.getByRole('textbox', { name: 'Message' });
    box.element().focus();
    await userEvent.keyboard('{Control>}k{/Control}');
    const search = page.getByRole('searchbox', { name: 'Search conversations' });
    await expect.element(search).toBeVisible();
    await expect.poll(focusedElement).toBe(search.element());
    await userEvent.keyboard('{Escape}');
    await expect.element(page.getByRole('navigation', { name: 'Conversations' })).not.toBeInTheDocument();
    await expect.poll(focusedElement).toBe(box.element());
  });

  it('stops a streaming reply on Escape wherever focus is, except in a dialog, where Escape closes it', async () => {
    const { source, actions } = await app();
    streaming(source);
    const settingsButton = page.getByRole('button', { name: 'Settings' });
    await userEvent.click(settingsButton);
    await userEvent.keyboard('{Escape}');
    await expect.element(page.getByRole('dialog', { name: 'Settings' })).not.toBeInTheDocument();
    expect(actions.stop).not.toHaveBeenCalled();

    expect(focusedElement()).toBe(settingsButton.element());
    await userEvent.keyboard('{Escape}');
    expect(actions.stop).toHaveBeenCalledOnce();
  });

  it('leaves Escape alone when no reply is streaming', async () => {
    const { actions } = await app();
    page.getByRole('button', { name: 'Settings' }).element().focus();
    await userEvent.keyboard('{Escape}');
    expect(actions.stop).not.toHaveBeenCalled();
  });

  it('goes to the message box on "/" unless the cursor is in a text field, where "/" is typed', async () => {
    await app();
    const box = page.getByRole('textbox', { name: 'Message' });
    const search = page.getByRole('searchbox', { name: 'Search conversations' });
    page.getByRole('button', { name: 'Settings' }).element().focus();
    await userEvent.keyboard('/');
    await expect.poll(focusedElement).toBe(box.element());
    await expect.element(box).toHaveValue('');

    search.element().focus();
    await userEvent.keyboard('a/b');
    await expect.element(search).toHaveValue('a/b');
    expect(focusedElement()).toBe(search.element());
  });

  it('opens "Keyboard shortcuts" on "?" and from its header button; focus returns to where it was', async () => {
    await app();
    const helpButton = page.getByRole('button', { name: 'Keyboard shortcuts' });
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await userEvent.click(helpButton);
    await expect.element(dialog).toBeVisible();
    await expect.element(dialog.getByText('Search conversations')).toBeVisible();
    await userEvent.keyboard('{Escape}');
    await expect.element(dialog).not.toBeInTheDocument();
    expect(focusedElement()).toBe(helpButton.element());

    const settingsButton = page.getByRole('button', { name: 'Settings' });
    settingsButton.element().focus();
    await userEvent.keyboard('?');
    await expect.element(dialog).toBeVisible();
    await userEvent.keyboard('{Escape}');
    expect(focusedElement()).toBe(settingsButton.element());

    page.getByRole('textbox', { name: 'Message' }).element().focus();
    await userEvent.keyboard('?');
    await expect.element(dialog).not.toBeInTheDocument();
  });

  it('keeps focus where a shortcut pressed just as a dialog closed put it', async () => {
    const { element, actions } = await app();
    await userEvent.click(page.getByRole('button', { name: 'Keyboard shortcuts' }));
    const help = element.shadowRoot!.querySelector('mc-help-dialog')!;
    // The dialog's close event, which hands focus back, comes a task later: the shortcut lands in between.
    help.close();
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'O', ctrlKey: true, shiftKey: true, bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(actions.newConversation).toHaveBeenCalledOnce();
    expect(focusedElement()).toBe(page.getByRole('textbox', { name: 'Message' }).element());
  });

  it('ignores every shortcut while a dialog is open', async () => {
    const { actions } = await app();
    await userEvent.click(page.getByRole('button', { name: 'Keyboard shortcuts' }));
    await userEvent.keyboard('{Control>}{Shift>}O{/Shift}{/Control}');
    await userEvent.keyboard('/');
    expect(actions.newConversation).not.toHaveBeenCalled();
    expect(focusedElement()).not.toBe(page.getByRole('textbox', { name: 'Message' }).element());
    await expect.element(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  });
});

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

  it('shows the recommendation it is given', async () => {
    const { element } = await app(EMPTY);
    element.recommendation = { engine: 'local', reason: 'WebGPU is ready on Apple M2.' };
    const deviceCard = welcomeRegion().getByRole('listitem').filter({ hasText: 'This device' });
    await expect.element(deviceCard.getByText('Recommended here')).toBeVisible();
    await expect.element(deviceCard.getByText('WebGPU is ready on Apple M2.')).toBeVisible();
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
    const { element } = await app(EMPTY);
    element.recommendation = { engine: 'hosted', reason: 'WebGPU runs on a software renderer here.' };
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

describe('mc-chat-app: branches, search, undo, backup', () => {
  const BRANCHED = appState({
    ...WITH_CONVERSATION,
    messages: [
      userMessage('u1', 'Three days in Lisbon: what should I see?', 'c2'),
      assistantMessage('a1', 'Start in Alfama', { conversationId: 'c2', status: 'stopped' }),
    ],
    alternatives: { a1: { position: 2, count: 2, previousId: 'a0', nextId: null } },
  });

  it('passes the message actions on: edit, alternatives, continue, and a reply for a reply-less message', async () => {
    const { actions, source } = await app(BRANCHED);
    const log = page.getByRole('log', { name: 'Conversation' });
    await expect.element(log.getByText('2 / 2')).toBeVisible();
    await userEvent.click(log.getByRole('button', { name: 'Previous alternative' }));
    expect(actions.showAlternative).toHaveBeenCalledExactlyOnceWith('a1', 'previous');
    await userEvent.click(log.getByRole('button', { name: 'Continue' }));
    expect(actions.continueReply).toHaveBeenCalledExactlyOnceWith('a1');

    await userEvent.click(log.getByRole('button', { name: 'Edit' }));
    await userEvent.fill(log.getByRole('textbox', { name: 'Edit message' }), 'Four days in Lisbon?');
    await userEvent.click(log.getByRole('button', { name: 'Save' }));
    expect(actions.editMessage).toHaveBeenCalledExactlyOnceWith('u1', 'Four days in Lisbon?');

    source.set({ messages: [...BRANCHED.messages, userMessage('u2', 'And Porto?', 'c2')], alternatives: {} });
    await userEvent.click(log.getByRole('article').last().getByRole('button', { name: 'Regenerate' }));
    expect(actions.retry).toHaveBeenCalledOnce();
    expect(actions.regenerate).not.toHaveBeenCalled();
  });

  it('searches as the user types, shows the results with the matches marked, and opens one at its message', async () => {
    const { actions, source } = await app();
    const nav = page.getByRole('navigation', { name: 'Conversations' });
    await userEvent.fill(nav.getByRole('searchbox', { name: 'Search conversations' }), 'alfama');
    expect(actions.search).toHaveBeenLastCalledWith('alfama');
    source.set({
      search: {
        query: 'alfama',
        pending: false,
        results: [
          {
            conversationId: 'c2',
            title: 'Trip to Lisbon',
            matches: [{ messageId: 'a1', snippet: 'Start in Alfama, then Belém.', ranges: [[9, 15]] }],
            matchCount: 1,
          },
        ],
      },
    });
    const results = nav.getByRole('list', { name: 'Search results' });
    const result = results.getByRole('button', { name: 'Trip to Lisbon', exact: true });
    await expect.element(result).toHaveAccessibleDescription('Start in Alfama, then Belém.');
    await expect.element(results.getByText('Alfama', { exact: true })).toBeVisible();
    expect(results.getByText('Alfama', { exact: true }).element().localName).toBe('mark');
    await userEvent.click(result);
    expect(actions.openConversation).toHaveBeenCalledExactlyOnceWith('c2', 'a1');
  });

  it('takes the reader to the message a search result led to', async () => {
    const { source } = await app();
    source.set({ focusedMessageId: 'a1' });
    const reply = page.getByRole('log', { name: 'Conversation' }).getByRole('article', { name: /^Assistant/ });
    await expect.poll(() => focusedElement()).toBe(reply.element());
  });

  it('offers Undo after a deletion, and gives focus to the conversation it brings back', async () => {
    const { actions, source } = await app();
    source.set({
      conversations: [conversation('c1', 'WebGPU questions', 1)],
      undo: {
        kind: 'delete-conversation',
        conversationId: 'c2',
        title: 'Trip to Lisbon',
        expiresAt: Date.now() + 6000,
      },
    });
    await expect.element(page.getByText('Conversation deleted: “Trip to Lisbon”.')).toBeVisible();
    actions.undoDelete.mockImplementation(async () => {
      source.set({ conversations: WITH_CONVERSATION.conversations, undo: null });
    });
    await userEvent.click(page.getByRole('button', { name: 'Undo' }));
    expect(actions.undoDelete).toHaveBeenCalledOnce();
    await expect.element(page.getByRole('button', { name: 'Undo' })).not.toBeInTheDocument();
    const restored = page
      .getByRole('navigation', { name: 'Conversations' })
      .getByRole('button', { name: 'Trip to Lisbon', exact: true });
    await expect.poll(() => focusedElement()).toBe(restored.element());

    source.set({
      undo: { kind: 'delete-conversation', conversationId: 'c1', title: 'WebGPU questions', expiresAt: 0 },
    });
    await userEvent.click(page.getByRole('button', { name: 'Close' }));
    expect(actions.dismissUndo).toHaveBeenCalledOnce();
  });

  it('shows a notice (an import summary) politely, once', async () => {
    const { actions, source } = await app();
    source.set({ notice: { id: 7, message: 'Imported 3 conversations (120 messages).' } });
    await expect.element(page.getByText('Imported 3 conversations (120 messages).')).toBeVisible();
    expect(actions.dismissNotice).toHaveBeenCalledExactlyOnceWith(7);
  });

  it('measures storage when Settings opens and shows Export and Import there, with their outcome', async () => {
    const { actions, source } = await app();
    await userEvent.click(page.getByRole('button', { name: 'Settings' }));
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await expect.element(dialog).toBeVisible();
    expect(actions.refreshStorageUsage).toHaveBeenCalledOnce();

    await userEvent.click(dialog.getByRole('button', { name: 'Export', exact: true }));
    expect(actions.exportAll).toHaveBeenCalledOnce();
    await expect.element(dialog.getByText('Exported 2 conversations. The file is in your downloads.')).toBeVisible();

    const file = new File(['not json'], 'broken.json', { type: 'application/json' });
    const message = 'This file is not a Private Mistral Chat backup: it is not JSON.';
    actions.importBackup.mockImplementation(async () => source.set({ alerts: [{ id: 4, message }] }));
    const input = dialog.element().querySelector('mc-backup-panel')!.shadowRoot!.querySelector('input')!;
    const files = new DataTransfer();
    files.items.add(file);
    input.files = files.files;
    input.dispatchEvent(new Event('change'));
    await expect.element(dialog.getByRole('alert')).toHaveTextContent(message);
    expect(actions.importBackup).toHaveBeenCalledExactlyOnceWith(file);
    // Shown in the dialog, where it can be seen and heard, instead of behind it.
    expect(actions.dismissAlert).toHaveBeenCalledExactlyOnceWith(4);

    const summary = 'Imported 3 conversations (120 messages).';
    actions.importBackup.mockImplementation(async () => {
      source.set({ notice: { id: 9, message: summary } });
      // The app shows a notice and dismisses it at once; the import's outcome still says it.
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    const backup = new DataTransfer();
    backup.items.add(new File(['{}'], 'backup.json', { type: 'application/json' }));
    input.files = backup.files;
    input.dispatchEvent(new Event('change'));
    await expect.element(dialog.getByText(summary)).toBeVisible();
    await expect.element(dialog.getByRole('alert')).not.toBeInTheDocument();
  });

  it('offers the open conversation as Markdown from Settings', async () => {
    const { actions } = await app();
    await userEvent.click(page.getByRole('button', { name: 'Settings' }));
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await userEvent.click(dialog.getByRole('button', { name: 'Download this conversation as Markdown' }));
    expect(actions.exportConversation).toHaveBeenCalledExactlyOnceWith('c2');
    await expect
      .element(dialog.getByText('Saved “Trip to Lisbon” as Markdown. The file is in your downloads.'))
      .toBeVisible();
  });
});
