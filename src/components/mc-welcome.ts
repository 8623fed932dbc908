import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { EngineKind } from '../domain/generation.js';
import { buttons, focusRing } from '../styles/shared.js';
import { emit } from './events.js';

export interface EngineRecommendation {
  engine: EngineKind;
  /** One or two sentences on why, for the welcome. */
  reason: string;
}

const ENGINES: readonly { engine: EngineKind; name: string; about: string; choose: string }[] = [
  {
    engine: 'local',
    name: 'This device',
    about:
      'Private: Mistral 7B runs on your own GPU and nothing you write leaves this device. It downloads once ' +
      '(about 4 GB), then works offline. Needs a browser with WebGPU and a graphics card that can run it.',
    choose: 'Use this device',
  },
  {
    engine: 'hosted',
    name: 'Hugging Face API',
    about:
      'Fast on any device, nothing to download. Needs a Hugging Face token, and what you write is sent to ' +
      'Hugging Face (or the server you choose) to be answered.',
    choose: 'Use Hugging Face API',
  },
];

/**
 * The first-run introduction, shown where the conversation will appear: the two engines and what each costs in
 * privacy and download, where conversations are kept, and which engine suits this device (from the GPU check).
 *
 * @fires mc-choose-engine - "Use this device" or "Use Hugging Face API". detail: `{ engine }`.
 * @fires mc-dismiss-welcome - "Got it".
 */
@customElement('mc-welcome')
export class McWelcome extends LitElement {
  static override styles = [
    buttons,
    focusRing,
    css`
      :host {
        display: block;
        overflow-y: auto;
      }
      section {
        box-sizing: border-box;
        max-width: var(--mc-content-width);
        margin: 0 auto;
        padding: var(--mc-space-8) var(--mc-space-4);
        line-height: var(--mc-line-height);
      }
      h2 {
        margin: 0 0 var(--mc-space-2);
        font-size: var(--mc-font-size-xl);
        font-weight: var(--mc-font-weight-bold);
        line-height: var(--mc-line-height-tight);
      }
      p {
        margin: 0;
      }
      .lead {
        color: var(--mc-color-text-muted);
      }
      .engines {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
        gap: var(--mc-space-4);
        margin: var(--mc-space-6) 0;
        padding: 0;
        list-style: none;
      }
      .engine {
        display: flex;
        flex-direction: column;
        gap: var(--mc-space-3);
        padding: var(--mc-space-4) var(--mc-space-5);
        border: 1px solid var(--mc-color-border);
        border-radius: var(--mc-radius-lg);
        background: var(--mc-color-surface);
      }
      .engine.recommended {
        border-color: var(--mc-color-accent);
        background: var(--mc-color-accent-soft);
      }
      h3 {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--mc-space-2);
        margin: 0;
        font-size: var(--mc-font-size-md);
        font-weight: var(--mc-font-weight-bold);
      }
      .badge {
        padding: 0 var(--mc-space-2);
        border-radius: var(--mc-radius-pill);
        background: var(--mc-color-accent);
        color: var(--mc-color-on-accent);
        font-size: var(--mc-font-size-xs);
        font-weight: var(--mc-font-weight-medium);
      }
      .engine p {
        flex: 1;
        font-size: var(--mc-font-size-sm);
      }
      .engine .reason {
        color: var(--mc-color-text-muted);
      }
      .engine .button {
        align-self: flex-start;
      }
      .footer {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: var(--mc-space-3) var(--mc-space-6);
        padding-top: var(--mc-space-4);
        border-top: 1px solid var(--mc-color-border);
      }
      .privacy {
        flex: 1 1 20rem;
        color: var(--mc-color-text-muted);
        font-size: var(--mc-font-size-sm);
      }
    `,
  ];

  /** Which engine suits this device and why; `null` while the GPU has not been checked. */
  @property({ attribute: false }) recommendation: EngineRecommendation | null = null;

  #renderEngine({ engine, name, about, choose }: (typeof ENGINES)[number]) {
    const recommended = this.recommendation?.engine === engine;
    return html`<li class="engine ${recommended ? 'recommended' : ''}">
      <h3>${name} ${recommended ? html`<span class="badge">Recommended here</span>` : nothing}</h3>
      <p>${about}</p>
      ${recommended ? html`<p class="reason">${this.recommendation?.reason}</p>` : nothing}
      <button class="button ${recommended ? 'primary' : ''}" @click=${() => emit(this, 'mc-choose-engine', { engine })}>
        ${choose}
      </button>
    </li>`;
  }

  override render() {
    return html`<section aria-labelledby="welcome-title">
      <h2 id="welcome-title">Welcome to Private Mistral Chat</h2>
      <p class="lead">
        Chat with Mistral 7B, an open model, in one of two ways. You can switch at any time in Settings.
      </p>
      <ul class="engines">
        ${ENGINES.map((entry) => this.#renderEngine(entry))}
      </ul>
      <div class="footer">
        <p class="privacy">
          Your conversations and settings are kept only in this browser: this app has no server and no account.
        </p>
        <button class="button" @click=${() => emit(this, 'mc-dismiss-welcome', undefined)}>Got it</button>
      </div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-welcome': McWelcome;
  }
  interface HTMLElementEventMap {
    'mc-choose-engine': CustomEvent<{ engine: EngineKind }>;
    'mc-dismiss-welcome': CustomEvent<void>;
  }
}
