import { describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import '../../../src/components/mc-composer.js';
import { focusedElement, mount } from './fixtures.js';

async function composer(streaming = false) {
  const element = document.createElement('mc-composer');
  element.streaming = streaming;
  const sent = vi.fn<(text: string) => void>();
  const stopped = vi.fn();
  element.addEventListener('mc-send', (event) => sent(event.detail.text));
  element.addEventListener('mc-stop', stopped);
  await mount(element);
  return { element, sent, stopped, box: page.getByRole('textbox', { name: 'Message' }) };
}

describe('mc-composer', () => {
  it('shows the unsent text of the conversation opened, and reports every change to what it holds', async () => {
    const { element, box } = await composer();
    const drafts = vi.fn<(text: string) => void>();
    element.addEventListener('mc-draft', (event) => drafts(event.detail.text));
    element.draft = { conversationId: 'c1', text: 'Half a question' };
    await expect.element(box).toHaveValue('Half a question');

    await userEvent.click(box);
    await userEvent.keyboard('{End}?');
    expect(drafts).toHaveBeenLastCalledWith('Half a question?');
    // Another conversation, with nothing unsent: the box empties, even though nothing was sent.
    element.draft = { conversationId: 'c2', text: '' };
    await expect.element(box).toHaveValue('');
    await expect.element(page.getByRole('button', { name: 'Send' })).toBeDisabled();
  });

  it('sends the text on Enter, clears the box and keeps focus in it', async () => {
    const { sent, box } = await composer();
    await userEvent.click(box);
    await userEvent.keyboard('Hello there{Enter}');
    expect(sent).toHaveBeenCalledExactlyOnceWith('Hello there');
    await expect.element(box).toHaveValue('');
    expect(focusedElement()).toBe(box.element());
  });

  it('adds a line on Shift+Enter instead of sending', async () => {
    const { sent, box } = await composer();
    await userEvent.click(box);
    await userEvent.keyboard('one{Shift>}{Enter}{/Shift}two');
    expect(sent).not.toHaveBeenCalled();
    await expect.element(box).toHaveValue('one\ntwo');
    await userEvent.keyboard('{Enter}');
    expect(sent).toHaveBeenCalledExactlyOnceWith('one\ntwo');
  });

  it('grows with its text', async () => {
    const { box } = await composer();
    const before = box.element().getBoundingClientRect().height;
    await userEvent.click(box);
    await userEvent.keyboard('a{Shift>}{Enter}{Enter}{Enter}{/Shift}b');
    expect(box.element().getBoundingClientRect().height).toBeGreaterThan(before);
  });

  it('sends nothing when the text is empty or blank', async () => {
    const { sent, box } = await composer();
    await userEvent.click(box);
    await userEvent.keyboard('{Enter}');
    await userEvent.keyboard('   {Enter}');
    expect(sent).not.toHaveBeenCalled();
    await expect.element(page.getByRole('button', { name: 'Send' })).toBeDisabled();
  });

  it('sends with the Send button and puts focus back in the box', async () => {
    const { sent, box } = await composer();
    await userEvent.fill(box, 'From the button');
    await userEvent.click(page.getByRole('button', { name: 'Send' }));
    expect(sent).toHaveBeenCalledExactlyOnceWith('From the button');
    await expect.element(box).toHaveValue('');
    expect(focusedElement()).toBe(box.element());
  });

  it('does not send while an input method is composing', async () => {
    const { sent, box } = await composer();
    await userEvent.fill(box, 'にほん');
    box.element().dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true }));
    expect(sent).not.toHaveBeenCalled();
    await expect.element(box).toHaveValue('にほん');
  });

  it('offers Stop instead of Send only while a reply streams', async () => {
    const { element, stopped } = await composer(false);
    await expect.element(page.getByRole('button', { name: 'Stop' })).not.toBeInTheDocument();
    element.streaming = true;
    await element.updateComplete;
    await expect.element(page.getByRole('button', { name: 'Send' })).not.toBeInTheDocument();
    await userEvent.click(page.getByRole('button', { name: 'Stop' }));
    expect(stopped).toHaveBeenCalledOnce();
  });

  it('stops on Escape and keeps typed text on Enter while streaming', async () => {
    const { sent, stopped, box } = await composer(true);
    await userEvent.click(box);
    await userEvent.keyboard('next question{Enter}');
    expect(sent).not.toHaveBeenCalled();
    await expect.element(box).toHaveValue('next question');
    await userEvent.keyboard('{Escape}');
    expect(stopped).toHaveBeenCalledOnce();
  });
});
