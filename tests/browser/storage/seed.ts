import { unwrap } from 'idb';
import type { ConversationRecord } from '../../../src/domain/records.js';
import { DB_VERSION, openDatabaseAtVersion } from '../../../src/storage/migrations.js';
import type { StoredMessage } from '../../../src/storage/schema.js';

export interface SeedOptions {
  /** Ordinary conversations, each of `messagesPerConversation` messages. */
  conversations: number;
  messagesPerConversation: number;
  /** One more conversation of this many messages (0: none). */
  longConversation: number;
}

/** The bench's scale: 1,000 conversations × 100 messages, and one of 5,000. */
export const LARGE_DATABASE: SeedOptions = {
  conversations: 1_000,
  messagesPerConversation: 100,
  longConversation: 5_000,
};

export interface SeededDatabase {
  conversationIds: string[];
  longConversationId: string | null;
  messageCount: number;
  /** A word found in exactly `rareWordConversations` conversations (in one message each): "Quokka". */
  rareWord: string;
  rareWordConversations: number;
  /** Written with accents in the seed ("Pâtisserie"), to search for without them. */
  accentedWord: string;
  accentedWordConversations: number;
}

const WORDS = (
  'the of and to in is it you that was for on are with as his they be at one have this from or had by word but ' +
  'what some we can out other were all there when up use your how said an each she which do their time if will ' +
  'way about many then them write would like so these her long make thing see him two has look more day could go ' +
  'come did number sound no most people my over know water than call first who may down side been now find any ' +
  'new work part take get place made live where after back little only round man year came show every good me ' +
  'give our under name very through just form sentence great think say help low line differ turn cause much mean ' +
  'before move right boy old too same tell does set three want air well also play small end put home read hand ' +
  'port large spell add even land here must big high such follow act why ask men change went light kind off need ' +
  'house picture try us again animal point mother world near build self earth father head stand own page should ' +
  'country found answer school grow study still learn plant cover food sun four between state keep eye never last ' +
  'café crème été naïve déjà façade élève Straße Ångström São Zürich Kraków Besançon'
).split(' ');

/** A small deterministic generator, so every run (and the bench) seeds the same text. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function sentence(next: () => number, words: number): string {
  const parts: string[] = [];
  for (let i = 0; i < words; i++) parts.push(WORDS[Math.floor(next() * WORDS.length)] ?? 'word');
  const text = parts.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

export interface GeneratedRecords extends SeededDatabase {
  conversations: ConversationRecord[];
  messages: StoredMessage[];
}

/**
 * Linear conversations of generated text (user questions of ~15 words, replies of ~80 with the engine and model
 * that "wrote" them), the same on every run.
 */
export function generateLargeDatabase(options: SeedOptions = LARGE_DATABASE): GeneratedRecords {
  const next = random(42);
  const rareWord = 'Quokka';
  const accentedWord = 'Pâtisserie';
  const conversations: ConversationRecord[] = [];
  const messages: StoredMessage[] = [];
  const counts = [
    ...Array.from({ length: options.conversations }, () => options.messagesPerConversation),
    ...(options.longConversation > 0 ? [options.longConversation] : []),
  ];
  let rareWordConversations = 0;
  let accentedWordConversations = 0;
  let time = Date.UTC(2024, 0, 1);

  counts.forEach((count, c) => {
    const id = `seed-c${c}`;
    const createdAt = time;
    let parentId: string | null = null;
    const rare = c % 10 === 3 && count > 50;
    const accented = c % 50 === 7 && count > 20;
    for (let m = 0; m < count; m++) {
      const role = m % 2 === 0 ? 'user' : 'assistant';
      let content = sentence(next, role === 'user' ? 15 : 80);
      if (rare && m === 50) content = `${content} A ${rareWord} smiles.`;
      if (accented && m === 20) content = `${content} La ${accentedWord} ouvre.`;
      const messageId = `${id}-m${m}`;
      time += 1_000;
      messages.push({
        id: messageId,
        conversationId: id,
        parentId,
        role,
        content,
        createdAt: time,
        updatedAt: time,
        status: 'complete',
        ...(role === 'assistant' ? { engine: 'hosted' as const, model: 'mistralai/Mistral-7B-Instruct-v0.3' } : {}),
      });
      parentId = messageId;
    }
    if (rare) rareWordConversations++;
    if (accented) accentedWordConversations++;
    const conversation: ConversationRecord = {
      id,
      title: `${c + 1}. ${sentence(next, 5).slice(0, -1)}`,
      createdAt,
      updatedAt: time,
    };
    if (parentId !== null) conversation.activeLeafId = parentId;
    conversations.push(conversation);
  });

  const ids = conversations.map(({ id }) => id);
  return {
    conversations,
    messages,
    conversationIds: ids,
    longConversationId: options.longConversation > 0 ? (ids.at(-1) ?? null) : null,
    messageCount: messages.length,
    rareWord,
    rareWordConversations,
    accentedWord,
    accentedWordConversations,
  };
}

/**
 * Fills a new database `name` at the current schema version with {@link generateLargeDatabase}'s records, fast: one
 * transaction, no waiting per record. For tests and the bench; open it afterwards with `openChatRepository`.
 */
export async function seedLargeDatabase(name: string, options: SeedOptions = LARGE_DATABASE): Promise<SeededDatabase> {
  const { conversations, messages, ...seeded } = generateLargeDatabase(options);
  const db = await openDatabaseAtVersion(name, DB_VERSION);
  try {
    const tx = db.transaction(['conversations', 'messages'], 'readwrite');
    // The raw stores: a promise per request (idb's) costs more than the write itself at this count.
    const raw = unwrap(tx);
    const conversationStore = raw.objectStore('conversations');
    const messageStore = raw.objectStore('messages');
    for (const conversation of conversations) conversationStore.put(conversation);
    for (const message of messages) messageStore.put(message);
    await tx.done;
  } finally {
    db.close();
  }
  return seeded;
}
