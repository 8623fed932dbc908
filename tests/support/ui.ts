// Drives the app the way a user or a screen reader does: only through the roles and accessible names of
// docs/ui-contract.md (role locators pierce open shadow roots). Names match whole and ignore case.
import type { Locator, Page } from 'playwright-core';

/** An accessible name, whole and case-insensitive. */
export function named(name: string): RegExp {
  return new RegExp(`^\\s*${escapeRegExp(name)}\\s*$`, 'i');
}

/** An accessible name that starts with `prefix` (e.g. articles: "Assistant, Hugging Face API"). */
export function startingWith(prefix: string): RegExp {
  return new RegExp(`^\\s*${escapeRegExp(prefix)}`, 'i');
}

export async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await messageBox(page).waitFor();
}

/** Reloads and waits until the app can be used again. */
export async function reloadApp(page: Page): Promise<void> {
  await page.reload();
  await messageBox(page).waitFor();
}

export function messageBox(page: Page): Locator {
  return page.getByRole('textbox', { name: named('Message') });
}

export function transcript(page: Page): Locator {
  return page.getByRole('log', { name: named('Conversation') });
}

export function userMessages(page: Page): Locator {
  return transcript(page).getByRole('article', { name: startingWith('You') });
}

export function assistantMessages(page: Page): Locator {
  return transcript(page).getByRole('article', { name: startingWith('Assistant') });
}

/** Waits until the `count`-th reply of the open conversation has finished streaming (it is no longer busy). */
export async function replyFinished(page: Page, count: number): Promise<void> {
  await settled(assistantMessages(page).nth(count - 1));
}

/**
 * Waits until `message` (an article found by role and name) is there and has stopped streaming. A streaming reply is
 * `aria-busy`, the state a screen reader waits on too: it is read as a state here, not used as a selector.
 */
export async function settled(message: Locator, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await message.waitFor({ timeout: timeoutMs });
  while ((await message.getAttribute('aria-busy', { timeout: timeoutMs })) !== 'false') {
    if (Date.now() > deadline) throw new Error(`${message.toString()} was still busy after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The highlighted words in `scope` (search matches): HTML `mark`, whose ARIA role is `mark`. Playwright computes
 * that role, but its typings do not list it yet.
 */
export function highlights(scope: Locator): Locator {
  return scope.getByRole('mark' as Parameters<Locator['getByRole']>[0]);
}

export function stopButton(page: Page): Locator {
  return page.getByRole('button', { name: named('Stop') });
}

export function conversationList(page: Page): Locator {
  return page.getByRole('navigation', { name: named('Conversations') });
}

/** A conversation entry (link or button) in the list whose title contains `title`. */
export function conversationEntry(page: Page, title: string): Locator {
  const name = new RegExp(escapeRegExp(title), 'i');
  return conversationList(page)
    .getByRole('link', { name })
    .or(conversationList(page).getByRole('button', { name }))
    .first();
}

/**
 * The text a user sees in `locator`, read through shadow roots and slots (the flat tree). `innerText` and
 * `textContent` stop at a shadow root, so a message rendered by a nested element would read as empty.
 */
export function flatText(locator: Locator): Promise<string> {
  return locator.evaluate((element) => {
    const hidden = new Set(['STYLE', 'SCRIPT', 'TEMPLATE']);
    const read = (node: Node): string => {
      if (node instanceof Text) return node.data;
      if (node instanceof HTMLSlotElement) {
        const assigned = node.assignedNodes({ flatten: true });
        return (assigned.length > 0 ? assigned : [...node.childNodes]).map(read).join('');
      }
      if (!(node instanceof Element) || hidden.has(node.tagName)) return '';
      return [...(node.shadowRoot ?? node).childNodes].map(read).join('');
    };
    return read(element);
  });
}

export function alerts(page: Page): Locator {
  return page.getByRole('alert');
}

/** Types into the message box and presses Enter (the contract: Enter sends). */
export async function sendMessage(page: Page, text: string): Promise<void> {
  const box = messageBox(page);
  await box.fill(text);
  await box.press('Enter');
}

export interface SettingsInput {
  engine?: 'This device' | 'Hugging Face API';
  /** The "Provider" option's label, e.g. "Ollama"; chosen before the fields below are filled. */
  provider?: string;
  hfToken?: string;
  /** `''` clears it (back to the Hugging Face router). */
  endpointUrl?: string;
  /** The endpoint's "API key", typed once the Endpoint URL is in. */
  apiKey?: string;
  /** Typed into the "Hugging Face model" combobox (a typed id is allowed), last. */
  hfModel?: string;
}

/**
 * Settings → dialog "Settings" → engine radio → provider → token, endpoint, key, model → Escape. Each field is left
 * with blur so an app that saves on `change` sees the value as well as one that saves on `input`.
 */
export async function fillSettings(page: Page, input: SettingsInput): Promise<void> {
  const settingsButton = page.getByRole('button', { name: named('Settings') });
  await settingsButton.click();
  const dialog = page.getByRole('dialog', { name: named('Settings') });
  await dialog.waitFor();
  const engine = dialog.getByRole('radio', { name: named(input.engine ?? 'Hugging Face API') });
  await engine.check();
  if (input.provider !== undefined) {
    await dialog.getByRole('combobox', { name: named('Provider') }).selectOption({ label: input.provider });
  }
  const fields: [string, string | undefined][] = [
    ['Hugging Face token', input.hfToken],
    ['Endpoint URL', input.endpointUrl],
    ['API key', input.apiKey],
  ];
  for (const [name, value] of fields) {
    if (value === undefined) continue;
    const field = dialog.getByRole('textbox', { name: named(name) });
    await field.fill(value);
    await field.blur();
  }
  if (input.hfModel !== undefined) {
    const model = modelPicker(dialog);
    await model.fill(input.hfModel);
    await model.blur();
  }
  // Pressed from inside the dialog: where a user's focus is, and where a dialog's own key handler listens.
  await engine.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
}

/** The editable model combobox in the open Settings dialog (a typed id is allowed). */
export function modelPicker(dialog: Locator): Locator {
  return dialog.getByRole('combobox', { name: named('Hugging Face model') });
}

/** Settings → the dialog "Settings", open. */
export async function openSettings(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: named('Settings') }).click();
  const dialog = page.getByRole('dialog', { name: named('Settings') });
  await dialog.waitFor();
  return dialog;
}

/** Escape from inside the open Settings dialog, as a keyboard user closes it. */
export async function closeSettings(page: Page): Promise<void> {
  const dialog = page.getByRole('dialog', { name: named('Settings') });
  await dialog
    .getByRole('radiogroup', { name: named('Engine') })
    .getByRole('radio')
    .first()
    .press('Escape');
  await dialog.waitFor({ state: 'hidden' });
}

/** The local model's controls in the open Settings dialog (the "This device" engine). */
export function localModelPanel(dialog: Locator) {
  return {
    model: dialog.getByRole('combobox', { name: named('Local model') }),
    /** The panel's one status line: phase, outcome, or what went wrong and what to do. */
    status: dialog.getByRole('status'),
    download: dialog.getByRole('button', { name: named('Download model') }),
    startDownload: dialog.getByRole('button', { name: named('Start download') }),
    cancel: dialog.getByRole('button', { name: named('Cancel') }),
    useHere: dialog.getByRole('button', { name: named('Use here') }),
    progress: dialog.getByRole('progressbar', { name: named('Model download') }),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
