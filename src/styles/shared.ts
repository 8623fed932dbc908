/**
 * Small style snippets shared by the components' shadow roots. The values come from the tokens in tokens.css.
 */
import { css } from 'lit';

/** Hidden on screen, still read by screen readers. */
export const visuallyHidden = css`
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }
`;

/** A visible ring for keyboard focus only; pointer clicks stay quiet. */
export const focusRing = css`
  :focus {
    outline: none;
  }
  :focus-visible {
    outline: 2px solid var(--mc-color-focus);
    outline-offset: 2px;
  }
`;

/**
 * Buttons: `.button` (secondary, bordered), `.button.primary`, `.button.ghost`, `.icon-button` (square, icon only,
 * with a visible label or an aria-label).
 */
export const buttons = css`
  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
  }
  button:disabled {
    cursor: not-allowed;
  }
  .button,
  .icon-button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: var(--mc-space-2);
    border: 1px solid var(--mc-color-border);
    border-radius: var(--mc-radius-md);
    background: var(--mc-color-surface-raised);
    color: var(--mc-color-text);
    font-size: var(--mc-font-size-sm);
    font-weight: var(--mc-font-weight-medium);
    line-height: 1;
    white-space: nowrap;
    transition:
      background-color var(--mc-duration-fast) var(--mc-easing),
      border-color var(--mc-duration-fast) var(--mc-easing);
  }
  .button {
    min-height: 2.25rem;
    padding: 0 var(--mc-space-3);
  }
  .icon-button {
    width: 2.25rem;
    height: 2.25rem;
    padding: 0;
  }
  .button:hover:not(:disabled),
  .icon-button:hover:not(:disabled) {
    background: var(--mc-color-hover);
  }
  .button.ghost,
  .icon-button.ghost {
    border-color: transparent;
    background: transparent;
  }
  .button.ghost:hover:not(:disabled),
  .icon-button.ghost:hover:not(:disabled) {
    background: var(--mc-color-hover);
  }
  .button.primary {
    border-color: var(--mc-color-accent);
    background: var(--mc-color-accent);
    color: var(--mc-color-on-accent);
  }
  .button.primary:hover:not(:disabled) {
    border-color: var(--mc-color-accent-hover);
    background: var(--mc-color-accent-hover);
  }
  .button:disabled,
  .icon-button:disabled {
    opacity: 0.45;
  }
  svg {
    flex: none;
    width: 1.125rem;
    height: 1.125rem;
  }
`;

/** Text inputs, textareas and selects that look alike. */
export const fields = css`
  .field {
    box-sizing: border-box;
    width: 100%;
    min-height: 2.5rem;
    padding: var(--mc-space-2) var(--mc-space-3);
    border: 1px solid var(--mc-color-border-strong);
    border-radius: var(--mc-radius-md);
    background: var(--mc-color-bg);
    color: var(--mc-color-text);
    font: inherit;
    font-size: var(--mc-font-size-sm);
  }
  .field::placeholder {
    color: var(--mc-color-text-muted);
    opacity: 1;
  }
  .field[aria-invalid='true'] {
    border-color: var(--mc-color-danger);
  }
  .field:focus-visible {
    outline: 2px solid var(--mc-color-focus);
    outline-offset: 0;
    border-color: transparent;
  }
`;

/**
 * A modal `<dialog>` with a `.header` (an `h2` and a Close button) above a scrolling `.content`. The fade-in stops
 * for people who ask for less motion.
 */
export const dialogs = css`
  dialog {
    box-sizing: border-box;
    max-height: min(52rem, calc(100dvh - 2rem));
    padding: 0;
    border: 1px solid var(--mc-color-border);
    border-radius: var(--mc-radius-lg);
    background: var(--mc-color-bg);
    color: var(--mc-color-text);
    box-shadow: var(--mc-shadow-lg);
    font-size: var(--mc-font-size-sm);
    line-height: var(--mc-line-height);
  }
  dialog[open] {
    display: flex;
    flex-direction: column;
    animation: dialog-appear var(--mc-duration-normal) var(--mc-easing);
  }
  dialog::backdrop {
    background: var(--mc-color-scrim);
  }
  @keyframes dialog-appear {
    from {
      opacity: 0;
      transform: translateY(8px) scale(0.98);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    dialog[open] {
      animation: none;
    }
  }
  .header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--mc-space-3);
    padding: var(--mc-space-4) var(--mc-space-4) var(--mc-space-4) var(--mc-space-6);
    border-bottom: 1px solid var(--mc-color-border);
  }
  h2 {
    margin: 0;
    font-size: var(--mc-font-size-lg);
    font-weight: var(--mc-font-weight-bold);
  }
  .content {
    padding: var(--mc-space-6);
    overflow-y: auto;
  }
`;

/** Small icon buttons in a row of per-item actions (a conversation's Rename/Delete, a message's Copy/Edit/…). */
export const rowActions = css`
  .actions .icon-button {
    width: 2rem;
    height: 2rem;
    color: var(--mc-color-text-muted);
  }
  .actions .icon-button:hover {
    color: var(--mc-color-text);
  }
  .actions svg {
    width: 1rem;
    height: 1rem;
  }
`;
