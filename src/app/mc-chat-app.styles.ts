import { css } from 'lit';

/** The application's layout: the sidebar (a drawer below `NARROW_QUERY`), the top bar, notices and the composer. */
export const chatAppStyles = css`
  /*
     * clip, not hidden: a hidden overflow is still scrolled by scrollIntoView() and focus(), which could push the
     * top bar off screen with no scrollbar to bring it back.
     */
  :host {
    display: block;
    height: 100dvh;
    overflow: clip;
    background: var(--mc-color-bg);
    color: var(--mc-color-text);
    font-family: var(--mc-font-sans);
    font-size: var(--mc-font-size-md);
  }
  .layout {
    display: grid;
    grid-template-columns: var(--mc-sidebar-width) minmax(0, 1fr);
    height: 100%;
  }
  .sidebar {
    display: flex;
    flex-direction: column;
    min-height: 0;
    border-right: 1px solid var(--mc-color-border);
    background: var(--mc-color-surface);
  }
  .brand {
    display: flex;
    align-items: center;
    gap: var(--mc-space-2);
    margin: 0;
    padding: var(--mc-space-4) var(--mc-space-4) 0;
    font-weight: var(--mc-font-weight-bold);
  }
  .brand svg {
    width: 1.25rem;
    height: 1.25rem;
    color: var(--mc-color-accent);
  }
  mc-conversation-list {
    flex: 1;
    min-height: 0;
  }
  mc-undo-bar::part(bar) {
    margin: 0 var(--mc-space-3) var(--mc-space-3);
  }
  main {
    display: flex;
    flex-direction: column;
    min-width: 0;
    min-height: 0;
  }
  .topbar {
    display: flex;
    align-items: center;
    gap: var(--mc-space-2);
    min-height: 3.5rem;
    padding: var(--mc-space-2) var(--mc-space-3) var(--mc-space-2) var(--mc-space-5);
    border-bottom: 1px solid var(--mc-color-border);
  }
  .preset-bar {
    padding: var(--mc-space-2) var(--mc-space-3) var(--mc-space-2) var(--mc-space-5);
    border-bottom: 1px solid var(--mc-color-border);
  }
  .heading {
    flex: 1;
    min-width: 0;
  }
  h1 {
    margin: 0;
    overflow: hidden;
    font-size: var(--mc-font-size-md);
    font-weight: var(--mc-font-weight-bold);
    line-height: var(--mc-line-height-tight);
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  .engine-status {
    display: flex;
    align-items: center;
    gap: var(--mc-space-2);
    overflow: hidden;
    color: var(--mc-color-text-muted);
    font-size: var(--mc-font-size-xs);
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  .dot {
    flex: none;
    width: 0.5rem;
    height: 0.5rem;
    border-radius: 50%;
    background: var(--mc-color-success);
  }
  .dot.unavailable {
    background: var(--mc-color-warning);
  }
  .offline {
    flex: none;
    padding: 0 var(--mc-space-2);
    border-radius: var(--mc-radius-pill);
    background: var(--mc-color-warning-soft);
    color: var(--mc-color-text);
    font-weight: var(--mc-font-weight-bold);
  }
  .update {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--mc-space-3);
    margin: var(--mc-space-2) var(--mc-space-4) 0;
    padding: var(--mc-space-2) var(--mc-space-3);
    border: 1px solid var(--mc-color-border);
    border-radius: var(--mc-radius-md);
    background: var(--mc-color-surface);
    font-size: var(--mc-font-size-sm);
  }
  .engine-status span:last-child {
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .menu-button {
    display: none;
  }
  mc-alert-list,
  .notices:has(.retry) {
    box-sizing: border-box;
    width: 100%;
    max-width: var(--mc-content-width);
    margin: var(--mc-space-3) auto 0;
    padding: 0 var(--mc-space-4);
  }
  mc-transcript,
  mc-welcome {
    flex: 1;
    min-height: 0;
  }
  mc-transcript[hidden] {
    display: none;
  }
  .retry {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--mc-space-2) var(--mc-space-3);
    padding: var(--mc-space-2) var(--mc-space-2) var(--mc-space-2) var(--mc-space-4);
    border-radius: var(--mc-radius-md);
    background: var(--mc-color-warning-soft);
    color: var(--mc-color-text);
    font-size: var(--mc-font-size-sm);
  }
  .retry .attempt {
    flex: 1;
    color: var(--mc-color-text-muted);
    font-size: var(--mc-font-size-xs);
  }
  .composer-area {
    box-sizing: border-box;
    width: 100%;
    max-width: var(--mc-content-width);
    margin: 0 auto;
    padding: var(--mc-space-3) var(--mc-space-4) var(--mc-space-4);
  }
  .toast {
    position: fixed;
    bottom: var(--mc-space-6);
    left: 50%;
    z-index: 30;
    transform: translateX(-50%);
    padding: var(--mc-space-2) var(--mc-space-4);
    border-radius: var(--mc-radius-pill);
    background: var(--mc-color-text);
    color: var(--mc-color-bg);
    box-shadow: var(--mc-shadow-lg);
    font-size: var(--mc-font-size-sm);
  }
  .toast:not(.shown) {
    display: none;
  }
  .scrim {
    display: none;
  }
  @media (max-width: 720px) {
    .layout {
      grid-template-columns: minmax(0, 1fr);
    }
    .sidebar {
      position: fixed;
      inset: 0 auto 0 0;
      z-index: 20;
      width: min(85vw, 20rem);
      visibility: hidden;
      transform: translateX(-100%);
      box-shadow: var(--mc-shadow-lg);
      transition:
        transform var(--mc-duration-normal) var(--mc-easing),
        visibility 0s linear var(--mc-duration-normal);
    }
    .sidebar.open {
      visibility: visible;
      transform: none;
      transition: transform var(--mc-duration-normal) var(--mc-easing);
    }
    .scrim.open {
      position: fixed;
      inset: 0;
      z-index: 10;
      display: block;
      background: var(--mc-color-scrim);
    }
    .menu-button {
      display: inline-flex;
    }
    .topbar,
    .preset-bar {
      padding-left: var(--mc-space-2);
    }
  }
  /* Phones and tablets without a keyboard have no use for the shortcut list. */
  @media (hover: none) and (pointer: coarse) {
    .help-button {
      display: none;
    }
  }
`;
