/**
 * The notice shown while a failed request waits to be tried again ("Rate limited — retrying in 4 s", "Attempt 2 of
 * 3", Cancel): kept out of `<mc-chat-app>` so that the root element stays a layout.
 */
import { html, nothing } from 'lit';
import type { RetryNotice } from '../engines/types.js';
import type { ChatActions } from '../state/app-state.js';

function describeRetry(notice: RetryNotice): string {
  // A retry at once (the local engine restarting its worker) has no wait to count down.
  return notice.delayMs > 0 ? `${notice.reason} — retrying in ${Math.ceil(notice.delayMs / 1000)} s` : notice.reason;
}

/** A polite live region, always there (so screen readers know it before it speaks), holding the notice if any. */
export function renderRetryNotice(notice: RetryNotice | null, actions: Pick<ChatActions, 'stop'> | undefined) {
  return html`<div class="notices" aria-live="polite">
    ${
      notice
        ? html`<div class="retry">
            <span>${describeRetry(notice)}</span>
            <span class="attempt">Attempt ${notice.attempt} of ${notice.maxAttempts}</span>
            <button class="button ghost" @click=${() => actions?.stop()}>Cancel</button>
          </div>`
        : nothing
    }
  </div>`;
}
