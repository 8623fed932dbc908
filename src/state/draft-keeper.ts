/**
 * The unsent text of the message box, per conversation: kept across reloads and closed tabs, written a few times a
 * second at most while typing, and at once when the conversation shown changes or the page is hidden.
 */
import type { TimerHandle } from '../storage/streaming-writer.js';
import type { DraftStore } from '../storage/drafts.js';
import type { Draft } from './app-state.js';

/** Unsent text is written at most this often while typing (and at once when the page is hidden or closed). */
const DRAFT_SAVE_MS = 500;

export interface DraftKeeperDeps {
  drafts: DraftStore;
  setTimer: (callback: () => void, delayMs: number) => TimerHandle;
  clearTimer: (handle: TimerHandle) => void;
}

export class DraftKeeper {
  readonly #drafts: DraftStore;
  readonly #setTimer: DraftKeeperDeps['setTimer'];
  readonly #clearTimer: DraftKeeperDeps['clearTimer'];
  /** The conversation whose draft `#text` is (null: a new chat), and whether it changed since it was saved. */
  #for: string | null = null;
  #text: string;
  #changed = false;
  #timer: TimerHandle | null = null;

  constructor(deps: DraftKeeperDeps) {
    this.#drafts = deps.drafts;
    this.#setTimer = deps.setTimer;
    this.#clearTimer = deps.clearTimer;
    this.#text = this.#drafts.load(null);
  }

  /** The draft of the conversation shown now. */
  get current(): Draft {
    return { conversationId: this.#for, text: this.#text };
  }

  update(text: string): void {
    this.#text = text;
    this.#changed = true;
    // A few writes a second at most, whatever the typing speed or the length pasted; `save` writes the rest.
    this.#timer ??= this.#setTimer(() => {
      this.#timer = null;
      this.save();
    }, DRAFT_SAVE_MS);
  }

  save(): void {
    if (this.#timer !== null) this.#clearTimer(this.#timer);
    this.#timer = null;
    // Unchanged here, it is left alone: another tab may have typed a newer one for the same conversation.
    if (!this.#changed) return;
    this.#changed = false;
    this.#drafts.save(this.#for, this.#text);
  }

  /** Sent: the box is empty, and so is the draft. */
  discard(): void {
    this.#text = '';
    this.#changed = true;
    this.save();
  }

  /** Another conversation is shown: the draft typed so far is kept, and that conversation's draft is given. */
  switchTo(conversationId: string | null): Draft | null {
    if (conversationId === this.#for) return null;
    this.save();
    this.#for = conversationId;
    this.#text = this.#drafts.load(conversationId);
    return { conversationId, text: this.#text };
  }

  /** The conversation is deleted: so is its draft, whose text is returned (for Undo). */
  drop(id: string): string {
    const text = id === this.#for ? this.#text : this.#drafts.load(id);
    if (id === this.#for) {
      this.#text = '';
      this.#changed = false;
    }
    this.#drafts.save(id, '');
    return text;
  }

  /** A deletion undone: its draft is back. */
  restore(id: string, text: string): void {
    this.#drafts.save(id, text);
  }
}
