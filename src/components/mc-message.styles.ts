import { css } from 'lit';
import { buttons, fields, focusRing, rowActions, visuallyHidden } from '../styles/shared.js';

/** `<mc-message>`'s styles: the article, its body, the footer of actions, the editor and the delete confirmation. */
export const messageStyles = [
  buttons,
  rowActions,
  fields,
  focusRing,
  visuallyHidden,
  css`
    :host {
      display: block;
    }
    article {
      display: flex;
      border-radius: var(--mc-radius-md);
      gap: var(--mc-space-4);
      line-height: var(--mc-line-height);
    }
    article.user {
      justify-content: flex-end;
    }
    /* The message a search result led to: marked until another conversation opens. */
    article.focused {
      outline: 2px solid var(--mc-color-accent);
      outline-offset: var(--mc-space-2);
    }
    .avatar {
      display: grid;
      flex: none;
      place-items: center;
      width: 2rem;
      height: 2rem;
      border: 1px solid var(--mc-color-border);
      border-radius: var(--mc-radius-pill);
      background: var(--mc-color-accent-soft);
      color: var(--mc-color-accent);
    }
    .content {
      display: flex;
      flex-direction: column;
      gap: var(--mc-space-2);
      min-width: 0;
    }
    .assistant .content {
      flex: 1;
    }
    .user .content {
      align-items: flex-end;
      max-width: min(85%, 36rem);
    }
    .model {
      margin: 0;
      padding-top: 0.3rem;
      color: var(--mc-color-text-muted);
      font-size: var(--mc-font-size-xs);
      font-weight: var(--mc-font-weight-medium);
    }
    .body {
      overflow-wrap: anywhere;
    }
    /* Plain text keeps its line breaks; a rendered-Markdown body lays out its own blocks. */
    div.body {
      white-space: pre-wrap;
    }
    .user .body {
      padding: var(--mc-space-3) var(--mc-space-4);
      border-radius: var(--mc-radius-xl);
      background: var(--mc-color-user-bubble);
    }
    .typing {
      display: inline-flex;
      gap: 4px;
      padding: var(--mc-space-2) 0;
    }
    .typing span {
      width: 6px;
      height: 6px;
      border-radius: 50%;
      background: var(--mc-color-text-muted);
      animation: pulse 1.2s ease-in-out infinite;
    }
    .typing span:nth-child(2) {
      animation-delay: 0.15s;
    }
    .typing span:nth-child(3) {
      animation-delay: 0.3s;
    }
    @keyframes pulse {
      0%,
      80%,
      100% {
        opacity: 0.25;
      }
      40% {
        opacity: 1;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .typing span {
        animation: none;
        opacity: 0.6;
      }
    }
    .badge {
      display: inline-flex;
      align-self: flex-start;
      align-items: center;
      gap: var(--mc-space-1);
      margin: 0;
      padding: 2px var(--mc-space-2);
      border-radius: var(--mc-radius-sm);
      background: var(--mc-color-surface);
      color: var(--mc-color-text-muted);
      font-size: var(--mc-font-size-xs);
      font-weight: var(--mc-font-weight-medium);
    }
    .badge.error {
      padding: var(--mc-space-2) var(--mc-space-3);
      background: var(--mc-color-danger-soft);
      color: var(--mc-color-danger);
      font-size: var(--mc-font-size-sm);
      font-weight: var(--mc-font-weight-normal);
    }
    .badge svg {
      width: 1rem;
      height: 1rem;
    }
    .footer {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--mc-space-1) var(--mc-space-3);
      min-height: 2rem;
    }
    .actions {
      display: flex;
      gap: 2px;
    }
    .alternatives {
      display: flex;
      align-items: center;
      gap: 2px;
      color: var(--mc-color-text-muted);
      font-size: var(--mc-font-size-xs);
      font-variant-numeric: tabular-nums;
    }
    .continue {
      min-height: 2rem;
    }
    .editor {
      display: flex;
      flex-direction: column;
      gap: var(--mc-space-2);
      width: min(36rem, 100%);
    }
    .editor textarea {
      min-height: 5rem;
      resize: vertical;
      line-height: var(--mc-line-height);
    }
    .editor .buttons {
      display: flex;
      justify-content: flex-end;
      gap: var(--mc-space-2);
    }
    .confirm-delete {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--mc-space-2) var(--mc-space-3);
      font-size: var(--mc-font-size-sm);
    }
    .confirm-delete p {
      margin: 0;
    }
    .confirm-delete .danger {
      border-color: var(--mc-color-danger);
      color: var(--mc-color-danger);
    }
    .confirm-delete .buttons {
      display: flex;
      gap: var(--mc-space-2);
    }
    .user .content:has(.editor) {
      align-self: stretch;
      max-width: 100%;
    }
    .usage {
      margin: 0;
      color: var(--mc-color-text-muted);
      font-size: var(--mc-font-size-xs);
      font-variant-numeric: tabular-nums;
    }
  `,
];
