/**
 * Full-text search over titles, every message and every attached file's name and text, in memory. IndexedDB cannot
 * search inside strings, and reading 100,000 messages back for each query takes far longer than a keystroke allows, so
 * the repository fills this index once (lazily, or when asked to prepare) and keeps it up to date as it writes.
 * Scanning the folded text of 100,000 messages with `includes` takes a few tens of milliseconds; the memory it costs is
 * about the size of the text.
 */
import type { ConversationRecord, MessageRecord } from '../domain/records.js';
import { containsAll, findRanges, foldForSearch, parseQuery, snippetAround, type Range } from './search-text.js';

/** One place a query matched: the conversation's title (no `messageId`) or one message. */
export interface SearchMatch {
  /**
   * Absent for a match in the title. The message may sit on a branch that is not shown. For a match in an attached
   * file, the user message the file was sent with.
   */
  messageId?: string;
  /** Set when the match is in a file attached to that message (its name or its text). */
  attachment?: { id: string; name: string };
  /** The title, or an excerpt of the message (or file) around the match, on one line. */
  snippet: string;
  /** Half-open `[start, end)` offsets into `snippet` to highlight. */
  ranges: Range[];
}

export interface SearchResult {
  conversationId: string;
  title: string;
  /** The title first when it matches, then messages and files oldest first; at most `matchesPerConversation`. */
  matches: SearchMatch[];
  /** All matching places in the conversation (title, messages and files), also those not in `matches`. */
  matchCount: number;
}

export interface SearchOptions {
  /** The most conversations returned. Default 50. */
  limit?: number;
  /** The most matches listed per conversation. Default 3. */
  matchesPerConversation?: number;
}

export const DEFAULT_SEARCH_LIMIT = 50;
export const DEFAULT_MATCHES_PER_CONVERSATION = 3;

/** A conversation that matched, before its snippets are cut (which needs the messages' original text). */
export interface SearchHit {
  conversationId: string;
  title: string;
  titleMatches: boolean;
  /** The first matching messages and files, oldest first. */
  places: SearchPlace[];
  matchCount: number;
}

/** A matching message, or a matching file (`attachmentId`) attached to message `messageId`. */
export interface SearchPlace {
  messageId: string;
  attachmentId?: string;
}

/** What a snippet of a matching file is cut from; `undefined` when the file is gone. */
export type AttachmentText = Pick<IndexableAttachment, 'name' | 'text'>;

interface IndexedMessage {
  id: string;
  createdAt: number;
  folded: string;
}

interface IndexedAttachment extends IndexedMessage {
  messageId: string;
}

interface IndexedConversation {
  /** Absent while only messages are known (they are not shown until their conversation is). */
  title?: string;
  foldedTitle: string;
  updatedAt: number;
  messages: Map<string, IndexedMessage>;
  /** The messages' folded texts joined, for one search through them all; `null` once a message changed. */
  joined: JoinedMessages | null;
  attachments: Map<string, IndexedAttachment>;
}

/**
 * One conversation's messages in one folded text, each followed by "\n". A term never holds whitespace, so none
 * matches across two messages; searching one long text is several times faster than searching each message.
 */
interface JoinedMessages {
  text: string;
  /** `starts[i]`: where `messages[i]` starts in `text`; the last entry is `text.length`. */
  starts: number[];
  messages: IndexedMessage[];
}

function joinMessages(messages: Map<string, IndexedMessage>): JoinedMessages {
  const list = [...messages.values()];
  const starts: number[] = [];
  let offset = 0;
  for (const message of list) {
    starts.push(offset);
    offset += message.folded.length + 1;
  }
  starts.push(offset);
  const text = list.length === 0 ? '' : `${list.map((message) => message.folded).join('\n')}\n`;
  // Each message's text becomes a slice of the joined one, so the index holds the text once, not twice.
  list.forEach((message, i) => (message.folded = text.slice(starts[i], (starts[i + 1] ?? offset) - 1)));
  return { text, starts, messages: list };
}

/** The messages holding every term: the first term is looked for through the whole text, the others after it. */
function matchingMessages({ text, starts, messages }: JoinedMessages, terms: readonly string[]): IndexedMessage[] {
  const [first, ...others] = terms;
  const found: IndexedMessage[] = [];
  if (first === undefined) return found;
  /** The next place each other term is found at, or -1 when it is not found again; -2 before the first look. */
  const next = others.map(() => -2);
  let k = 0;
  for (let at = text.indexOf(first); at !== -1;) {
    while ((starts[k + 1] ?? Infinity) <= at) k++;
    const start = starts[k] ?? 0;
    const end = starts[k + 1] ?? text.length;
    let all = true;
    for (let j = 0; j < others.length && all; j++) {
      const term = others[j] ?? '';
      let position = next[j] ?? -1;
      if (position !== -1 && position < start) position = next[j] = text.indexOf(term, start);
      if (position === -1) return found;
      all = position + term.length < end;
    }
    const message = messages[k];
    if (all && message) found.push(message);
    at = text.indexOf(first, end);
  }
  return found;
}

export type IndexableConversation = Pick<ConversationRecord, 'id' | 'title' | 'updatedAt'>;
export type IndexableMessage = Pick<MessageRecord, 'id' | 'conversationId' | 'content' | 'createdAt'>;
/**
 * The fields of a file attached to a user message (issue 14's `AttachmentRecord`) that search reads: its name and its
 * extracted text are searched, the match points at the message it was sent with.
 */
export interface IndexableAttachment {
  id: string;
  conversationId: string;
  messageId: string;
  name: string;
  text: string;
  createdAt: number;
}

/**
 * One conversation as the index holds it, to be stored and restored (search-copy.ts): its messages' folded texts
 * joined as the index joins them, so restoring it folds nothing and builds no string. `starts[i]` is where message
 * `messageIds[i]` starts in `text`, and the last entry is `text.length`.
 */
export interface ConversationSnapshot {
  id: string;
  title: string;
  updatedAt: number;
  messageIds: string[];
  createdAts: number[];
  starts: number[];
  text: string;
  attachments: AttachmentSnapshot[];
}

export interface AttachmentSnapshot {
  id: string;
  messageId: string;
  createdAt: number;
  folded: string;
}

export class SearchIndex {
  readonly #conversations = new Map<string, IndexedConversation>();
  /** Which conversation each message belongs to, so a deletion by id finds it. */
  readonly #home = new Map<string, string>();
  readonly #attachmentHome = new Map<string, string>();

  get messageCount(): number {
    return this.#home.size;
  }

  setConversation(conversation: IndexableConversation): void {
    const entry = this.#entry(conversation.id);
    entry.title = conversation.title;
    entry.foldedTitle = foldForSearch(conversation.title);
    entry.updatedAt = conversation.updatedAt;
  }

  deleteConversation(id: string): void {
    const entry = this.#conversations.get(id);
    if (!entry) return;
    for (const messageId of entry.messages.keys()) this.#home.delete(messageId);
    for (const attachmentId of entry.attachments.keys()) this.#attachmentHome.delete(attachmentId);
    this.#conversations.delete(id);
  }

  setMessage(message: IndexableMessage): void {
    const previousHome = this.#home.get(message.id);
    if (previousHome !== undefined && previousHome !== message.conversationId) this.deleteMessage(message.id);
    const entry = this.#entry(message.conversationId);
    entry.messages.set(message.id, {
      id: message.id,
      createdAt: message.createdAt,
      folded: foldForSearch(message.content),
    });
    entry.joined = null;
    this.#home.set(message.id, message.conversationId);
  }

  deleteMessage(id: string): void {
    const home = this.#home.get(id);
    if (home === undefined) return;
    const entry = this.#conversations.get(home);
    entry?.messages.delete(id);
    if (entry) entry.joined = null;
    this.#home.delete(id);
  }

  /** A file is searched as its name and text together; it shows only while its message is known too. */
  setAttachment(attachment: IndexableAttachment): void {
    const previousHome = this.#attachmentHome.get(attachment.id);
    if (previousHome !== undefined && previousHome !== attachment.conversationId) this.deleteAttachment(attachment.id);
    this.#entry(attachment.conversationId).attachments.set(attachment.id, {
      id: attachment.id,
      messageId: attachment.messageId,
      createdAt: attachment.createdAt,
      folded: foldForSearch(`${attachment.name}\n${attachment.text}`),
    });
    this.#attachmentHome.set(attachment.id, attachment.conversationId);
  }

  deleteAttachment(id: string): void {
    const home = this.#attachmentHome.get(id);
    if (home === undefined) return;
    this.#conversations.get(home)?.attachments.delete(id);
    this.#attachmentHome.delete(id);
  }

  /** Replaces everything known about one conversation, files included; `undefined` when it no longer exists. */
  replaceConversation(
    id: string,
    conversation: IndexableConversation | undefined,
    messages: readonly IndexableMessage[],
    attachments: readonly IndexableAttachment[] = [],
  ): void {
    this.deleteConversation(id);
    if (conversation) this.setConversation(conversation);
    for (const message of messages) this.setMessage(message);
    for (const attachment of attachments) this.setAttachment(attachment);
    // Joined now, while the index is filled, rather than at the first search.
    const entry = this.#conversations.get(id);
    if (entry) entry.joined = joinMessages(entry.messages);
  }

  /** Every conversation whose record is known (those with only messages are never shown), as it is indexed now. */
  snapshot(): ConversationSnapshot[] {
    const snapshots: ConversationSnapshot[] = [];
    for (const [id, entry] of this.#conversations) {
      if (entry.title === undefined) continue;
      entry.joined ??= joinMessages(entry.messages);
      const { text, starts, messages } = entry.joined;
      snapshots.push({
        id,
        title: entry.title,
        updatedAt: entry.updatedAt,
        messageIds: messages.map((message) => message.id),
        createdAts: messages.map((message) => message.createdAt),
        starts: [...starts],
        text,
        attachments: [...entry.attachments.values()].map(({ id, messageId, createdAt, folded }) => ({
          id,
          messageId,
          createdAt,
          folded,
        })),
      });
    }
    return snapshots;
  }

  /**
   * Puts back one conversation as {@link snapshot} gave it, replacing what is known of it; `snapshot` must be whole
   * (search-copy.ts checks every stored one).
   */
  restoreConversation(snapshot: ConversationSnapshot): void {
    this.deleteConversation(snapshot.id);
    const { text, starts } = snapshot;
    const messages = snapshot.messageIds.map((id, i) => ({
      id,
      createdAt: snapshot.createdAts[i] ?? 0,
      folded: text.slice(starts[i], (starts[i + 1] ?? text.length) - 1),
    }));
    const entry = this.#entry(snapshot.id);
    entry.title = snapshot.title;
    entry.foldedTitle = foldForSearch(snapshot.title);
    entry.updatedAt = snapshot.updatedAt;
    for (const message of messages) {
      entry.messages.set(message.id, message);
      this.#home.set(message.id, snapshot.id);
    }
    entry.joined = { text, starts: [...starts], messages };
    for (const attachment of snapshot.attachments) {
      entry.attachments.set(attachment.id, { ...attachment });
      this.#attachmentHome.set(attachment.id, snapshot.id);
    }
  }

  /** The conversations that match, title matches first, then the most recently updated. */
  find(query: string, options: SearchOptions = {}): { terms: string[]; hits: SearchHit[] } {
    const terms = parseQuery(query);
    if (terms.length === 0) return { terms, hits: [] };
    const limit = options.limit ?? DEFAULT_SEARCH_LIMIT;
    const perConversation = options.matchesPerConversation ?? DEFAULT_MATCHES_PER_CONVERSATION;
    const hits: (SearchHit & { updatedAt: number })[] = [];
    for (const [conversationId, entry] of this.#conversations) {
      if (entry.title === undefined) continue;
      const titleMatches = containsAll(entry.foldedTitle, terms);
      entry.joined ??= joinMessages(entry.messages);
      const matched: (IndexedMessage | IndexedAttachment)[] = matchingMessages(entry.joined, terms);
      for (const attachment of entry.attachments.values()) {
        if (entry.messages.has(attachment.messageId) && containsAll(attachment.folded, terms)) matched.push(attachment);
      }
      if (!titleMatches && matched.length === 0) continue;
      matched.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
      hits.push({
        conversationId,
        title: entry.title,
        titleMatches,
        places: matched
          .slice(0, Math.max(0, perConversation - (titleMatches ? 1 : 0)))
          .map((place) =>
            'messageId' in place ? { messageId: place.messageId, attachmentId: place.id } : { messageId: place.id },
          ),
        matchCount: matched.length + (titleMatches ? 1 : 0),
        updatedAt: entry.updatedAt,
      });
    }
    hits.sort((a, b) => Number(b.titleMatches) - Number(a.titleMatches) || b.updatedAt - a.updatedAt);
    return { terms, hits: hits.slice(0, limit).map(({ updatedAt: _updatedAt, ...hit }) => hit) };
  }

  #entry(conversationId: string): IndexedConversation {
    let entry = this.#conversations.get(conversationId);
    if (!entry) {
      entry = { foldedTitle: '', updatedAt: 0, messages: new Map(), joined: null, attachments: new Map() };
      this.#conversations.set(conversationId, entry);
    }
    return entry;
  }
}

/**
 * The hits with their snippets cut from the original text. `contentOf` gives a message's text and `attachmentOf` a
 * file's name and text, or `undefined` if it was deleted since the index was searched (it is then left out).
 */
export function toSearchResults(
  hits: readonly SearchHit[],
  terms: readonly string[],
  contentOf: (messageId: string) => string | undefined,
  attachmentOf: (attachmentId: string) => AttachmentText | undefined = () => undefined,
): SearchResult[] {
  return hits.map((hit) => {
    const matches: SearchMatch[] = [];
    if (hit.titleMatches) matches.push({ snippet: hit.title, ranges: findRanges(hit.title, terms) });
    for (const { messageId, attachmentId } of hit.places) {
      if (attachmentId === undefined) {
        const content = contentOf(messageId);
        if (content !== undefined) matches.push({ messageId, ...snippetAround(content, terms) });
        continue;
      }
      const file = attachmentOf(attachmentId);
      if (!file) continue;
      // The excerpt is of the text where a term is in it; a file that matches by its name alone shows the name.
      const inText = snippetAround(file.text, terms);
      const snippet = inText.ranges.length > 0 ? inText : { snippet: file.name, ranges: findRanges(file.name, terms) };
      matches.push({ messageId, attachment: { id: attachmentId, name: file.name }, ...snippet });
    }
    return { conversationId: hit.conversationId, title: hit.title, matches, matchCount: hit.matchCount };
  });
}
