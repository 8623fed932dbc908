/**
 * Change notices from other tabs, gathered while the previous ones are applied. A reply streaming in another tab
 * sends one about twice a second: notices that arrive together are applied together, with one read each.
 */
import type { StorageChange } from '../storage/types.js';

export class ChangeBatch {
  /** Conversations to re-read for the list (and the open one's messages, when it is among them). */
  readonly conversationIds = new Set<string>();
  /** Conversations of which a notice did not name the messages: all of them are re-read. */
  readonly rereadMessages = new Set<string>();
  /** Messages to re-read, when their conversation's notices all named them. */
  readonly messageIds = new Set<string>();
  settings = false;
  presets = false;

  add(change: StorageChange): void {
    for (const id of change.conversationIds) {
      this.conversationIds.add(id);
      if (!change.messageIds) this.rereadMessages.add(id);
    }
    for (const id of change.messageIds ?? []) this.messageIds.add(id);
    if (change.settings) this.settings = true;
    if (change.presets) this.presets = true;
  }
}
