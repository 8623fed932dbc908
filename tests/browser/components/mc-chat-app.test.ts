import axe from 'axe-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import '../../../src/app/mc-chat-app.js';
import type { McChatApp } from '../../../src/app/mc-chat-app.js';
import type { AppState, ChatActions, StateSource } from '../../../src/state/app-state.js';
import { DEFAULT_SETTINGS } from '../../../src/state/types.js';
import { appState, assistantMessage, conversation, focusedElement, mount, userMessage } from './fixtures.js';

class FakeSource implements StateSource {
  readonly listeners = new Set<(state: AppState) => void>();
  constructor(public state: AppState) {}
  getState(): AppState {
    return this.state;
  }
  subscribe(listener: (state: AppState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(patch: Partial<AppState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }
}

function fakeActions() {
  return {
    send: vi.fn<ChatActions['send']>().mockResolvedValue(),
    stop: vi.fn<ChatActions['stop']>(),
    retry: vi.fn<ChatActions['retry']>().mockResolvedValue(),
    clear: vi.fn<ChatActions['clear']>().mockResolvedValue(),
    newConversation: vi.fn<ChatActions['newConversation']>().mockResolvedValue(),
    openConversation: vi.fn<ChatActions['openConversation']>().mockResolvedValue(),
    renameConversation: vi.fn<ChatActions['renameConversation']>().mockResolvedValue(),
    deleteConversation: vi.fn<ChatActions['deleteConversation']>().mockResolvedValue(),
    updateSettings: vi.fn<ChatActions['updateSettings']>().mockResolvedValue(),
    dismissAlert: vi.fn<ChatActions['dismissAlert']>(),
  } satisfies ChatActions;
}

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

async function app(state: AppState = WITH_CONVERSATION) {
  const source = new FakeSource(state);
  const actions = fakeActions();
  const element = document.createElement('mc-chat-app');
  element.source = source;
  element.actions = actions;
  await mount(element);
  return { element, source, actions };
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
    expect(actions.retry).toHaveBeenCalledOnce();
  });

  it('opens Settings, applies a change, and on Escape returns focus to the Settings button', async () => {
    const { actions } = await app();
    const settingsButton = page.getByRole('button', { name: 'Settings' });
    await userEvent.click(settingsButton);
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await expect.element(dialog).toBeVisible();
    await userEvent.fill(dialog.getByRole('textbox', { name: 'Hugging Face model' }), 'mistralai/Other');
    await userEvent.keyboard('{Escape}');
    await expect.element(dialog).not.toBeInTheDocument();
    expect(actions.updateSettings).toHaveBeenCalledExactlyOnceWith({ hfModel: 'mistralai/Other' });
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
    await userEvent.click(page.getByRole('button', { name: 'Dismiss' }));
    await userEvent.click(page.getByRole('button', { name: 'Cancel' }));
    expect(actions.dismissAlert).toHaveBeenCalledExactlyOnceWith(7);
    expect(actions.stop).toHaveBeenCalledOnce();
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
