import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { SpeedResult, SpeedTestState } from '../state/app-state.js';
import { buttons, focusRing, visuallyHidden } from '../styles/shared.js';
import { emit } from './events.js';

const IDLE: SpeedTestState = { running: false, results: [], error: null, report: '' };

function rate(tokensPerSecond: number | undefined): string {
  return tokensPerSecond === undefined ? '—' : tokensPerSecond.toFixed(1);
}

function when(at: number): string {
  return new Date(at).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });
}

function ceiling(result: SpeedResult): string {
  if (result.ceilingTokensPerSecond === undefined) return 'GPU not recognised';
  const share = result.shareOfCeiling === undefined ? '' : `, ${Math.round(result.shareOfCeiling * 100)} % reached`;
  return `${result.ceilingTokensPerSecond.toFixed(0)} tokens/s${share}`;
}

/**
 * The local model's speed check, for the local model panel: "Test speed" runs a fixed prompt on the model on this
 * device; each run is a row of a table, newest first, beside the earlier ones; "Copy results" puts them on the
 * clipboard as text for a bug report. Presentational: the state comes from `SpeedTest` as a property.
 *
 * @fires mc-local-test-speed - "Test speed" was pressed.
 */
@customElement('mc-speed-test')
export class McSpeedTest extends LitElement {
  static override styles = [
    buttons,
    focusRing,
    visuallyHidden,
    css`
      :host {
        display: flex;
        flex-direction: column;
        gap: var(--mc-space-2);
      }
      p {
        margin: 0;
      }
      .title {
        font-weight: var(--mc-font-weight-medium);
      }
      .hint {
        color: var(--mc-color-text-muted);
      }
      .error {
        color: var(--mc-color-danger);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--mc-space-2);
      }
      table {
        border-collapse: collapse;
        font-variant-numeric: tabular-nums;
      }
      th,
      td {
        padding: var(--mc-space-1) var(--mc-space-3) var(--mc-space-1) 0;
        text-align: start;
        vertical-align: top;
      }
      th {
        color: var(--mc-color-text-muted);
        font-weight: var(--mc-font-weight-medium);
      }
    `,
  ];

  /** What became of the last "Copy results", said politely beside the buttons. */
  @state() private copyOutcome = '';

  @property({ attribute: false }) state: SpeedTestState = IDLE;
  /** Whether a model is on this device to test. */
  @property({ type: Boolean }) available = false;

  async #copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.state.report);
      this.copyOutcome = 'The results are on the clipboard.';
    } catch {
      this.copyOutcome = 'The browser blocked the clipboard: select the table and copy it instead.';
    }
  }

  #renderResults() {
    const { results } = this.state;
    if (results.length === 0) return nothing;
    return html`<table>
      <caption class="visually-hidden">
        Speed test results, newest first
      </caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Model</th>
          <th scope="col">First token</th>
          <th scope="col">Prefill (tokens/s)</th>
          <th scope="col">Decode (tokens/s)</th>
          <th scope="col">Ceiling</th>
        </tr>
      </thead>
      <tbody>
        ${results.map(
          (result) =>
            html`<tr>
              <td>${when(result.at)}</td>
              <td>${result.modelLabel}</td>
              <td>
                ${result.timeToFirstTokenMs === undefined ? '—' : `${(result.timeToFirstTokenMs / 1000).toFixed(2)} s`}
              </td>
              <td>${rate(result.prefillTokensPerSecond)}</td>
              <td>${rate(result.decodeTokensPerSecond)}</td>
              <td>${ceiling(result)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }

  override render() {
    const { running, results, error } = this.state;
    return html`<p class="title">Speed on this device</p>
      <p class="hint" id="speed-about">
        Runs one fixed prompt on the model and measures it, with the most this GPU’s memory allows where it is known.
      </p>
      <div class="actions">
        <button
          class="button"
          aria-describedby="speed-about"
          ?disabled=${!this.available || running}
          @click=${() => emit(this, 'mc-local-test-speed', undefined)}
        >
          Test speed
        </button>
        ${
          results.length > 0
            ? html`<button class="button" @click=${() => void this.#copy()}>Copy results</button>`
            : nothing
        }
      </div>
      <p class="hint" aria-live="polite">${running ? 'Testing the speed…' : this.copyOutcome}</p>
      ${error ? html`<p class="error" role="alert">${error}</p>` : nothing} ${this.#renderResults()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-speed-test': McSpeedTest;
  }
  interface HTMLElementEventMap {
    'mc-local-test-speed': CustomEvent<void>;
  }
}
