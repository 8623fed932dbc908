import { css } from 'lit';

/** The list's layout: New chat, the search box, and the entries with their Rename and Delete. */
export const conversationListStyles = css`
  :host {
    display: block;
    height: 100%;
    min-height: 0;
  }
  nav {
    display: flex;
    flex-direction: column;
    gap: var(--mc-space-3);
    height: 100%;
    box-sizing: border-box;
    padding: var(--mc-space-3);
  }
  .new-chat {
    justify-content: flex-start;
    width: 100%;
    min-height: 2.5rem;
  }
  .box {
    position: relative;
  }
  .box svg {
    position: absolute;
    top: 50%;
    left: var(--mc-space-3);
    transform: translateY(-50%);
    color: var(--mc-color-text-muted);
    pointer-events: none;
  }
  .box input {
    padding-left: var(--mc-space-10);
  }
  .summary {
    margin: 0;
    color: var(--mc-color-text-muted);
    font-size: var(--mc-font-size-xs);
  }
  .summary span {
    display: block;
    padding: var(--mc-space-2) var(--mc-space-3) 0;
  }
  .entries {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
  }
  ul {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .more {
    display: flex;
    width: calc(100% - 2 * var(--mc-space-1));
    margin: var(--mc-space-1);
  }
  /* The browser lays out and paints only the entries near the view; the others keep the size they last had. */
  li {
    display: flex;
    align-items: center;
    gap: var(--mc-space-1);
    margin-bottom: 2px;
    padding-right: var(--mc-space-1);
    border-radius: var(--mc-radius-md);
    content-visibility: auto;
    contain-intrinsic-size: auto 2.25rem;
  }
  li:hover,
  li:focus-within {
    background: var(--mc-color-hover);
  }
  /* A conversation found by the search: the lines under its title take the click too (the button's ::after covers
         the entry; Rename and Delete sit above it). */
  li.found {
    position: relative;
    flex-wrap: wrap;
    padding-bottom: var(--mc-space-2);
  }
  li.found .open::after {
    position: absolute;
    inset: 0;
    content: '';
  }
  li.found .actions {
    position: relative;
    z-index: 1;
  }
  .matches {
    display: flex;
    flex-basis: 100%;
    flex-direction: column;
    gap: var(--mc-space-1);
    margin: 0;
    padding: 0 var(--mc-space-3);
    color: var(--mc-color-text-muted);
    font-size: var(--mc-font-size-xs);
    line-height: var(--mc-line-height);
    overflow-wrap: anywhere;
  }
  /* Bold and underlined as well as tinted: a match must not rest on colour alone. */
  mark {
    border-radius: 2px;
    background: var(--mc-color-accent-soft);
    color: var(--mc-color-text);
    font-weight: var(--mc-font-weight-bold);
    text-decoration: underline;
    text-decoration-color: var(--mc-color-accent);
    text-underline-offset: 2px;
  }
  li.current {
    background: var(--mc-color-selected);
  }
  .open {
    flex: 1;
    min-width: 0;
    min-height: 2.5rem;
    padding: 0 var(--mc-space-3);
    border: 0;
    border-radius: var(--mc-radius-md);
    background: transparent;
    font-size: var(--mc-font-size-sm);
    text-align: left;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .current .open {
    font-weight: var(--mc-font-weight-medium);
  }
  .actions {
    display: flex;
    opacity: 0;
    transition: opacity var(--mc-duration-fast) var(--mc-easing);
  }
  li:hover .actions,
  li:focus-within .actions,
  li.current .actions {
    opacity: 1;
  }
  @media (hover: none) {
    .actions {
      opacity: 1;
    }
  }
  .title-field {
    flex: 1;
    min-height: 2.25rem;
    margin: 2px 0;
  }
  .empty {
    margin: var(--mc-space-2) var(--mc-space-3);
    color: var(--mc-color-text-muted);
    font-size: var(--mc-font-size-sm);
  }
`;
