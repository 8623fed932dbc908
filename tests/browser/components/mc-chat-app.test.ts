import { describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { FakeSource, WITH_CONVERSATION, expectNoAxeViolations, mountApp } from './app-harness.js';
import { appState, assistantMessage, focusedElement } from './fixtures.js';

const app = mountApp;

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

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
    // The dialog's code loads on first use (or once the page is idle): it opens when that has arrived.
    await expect.element(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
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
    await expect.element(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    await userEvent.keyboard('{Control>}{Shift>}O{/Shift}{/Control}');
    await userEvent.keyboard('/');
    expect(actions.newConversation).not.toHaveBeenCalled();
    expect(focusedElement()).not.toBe(page.getByRole('textbox', { name: 'Message' }).element());
    await expect.element(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  });
});
