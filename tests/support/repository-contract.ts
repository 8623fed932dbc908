/**
 * What every `ChatRepository` promises (see `src/storage/types.ts`), written once and run against each
 * implementation: the IndexedDB one in the browser project, the in-memory fallback in the unit project. A test here
 * that passes for one and fails for the other is a difference between them, and so a bug.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/domain/settings.js';
import { exportAll, parseBackup } from '../../src/storage/backup.js';
import type { ChatRepository, StorageChange } from '../../src/storage/types.js';
import { attachment } from '../fixtures/attachments.js';
import { conversation, message } from '../fixtures/records.js';
import { describeBranchContract } from './repository-contract-branches.js';

/** Makes a new, empty repository each time it is called; whoever supplies it closes what it made after the test. */
export type RepositoryFactory = () => Promise<ChatRepository>;

export function describeRepositoryContract(implementation: string, open: RepositoryFactory): void {
  describe(`${implementation}: the ChatRepository contract`, () => {
    describeConversationContract(open);
    describeMessageContract(open);
    describeBranchContract(open);
    describeDeleteAndUndoContract(open);
    describeSearchBackupAndSizeContract(open);
    describeSettingsAndChangesContract(open);
  });
}

function describeConversationContract(open: RepositoryFactory): void {
  describe('conversations', () => {
    it('round-trips a conversation, and finds nothing for an unknown id', async () => {
      const repository = await open();
      await repository.putConversation(conversation('a', 10, 'Trip to Lyon'));
      expect(await repository.getConversation('a')).toEqual(conversation('a', 10, 'Trip to Lyon'));
      expect(await repository.getConversation('missing')).toBeUndefined();
    });

    it('lists conversations newest first', async () => {
      const repository = await open();
      await repository.putConversation(conversation('old', 100));
      await repository.putConversation(conversation('newest', 300));
      await repository.putConversation(conversation('middle', 200));
      expect((await repository.listConversations()).map((c) => c.id)).toEqual(['newest', 'middle', 'old']);
    });

    it('overwrites a conversation written again under its id', async () => {
      const repository = await open();
      await repository.putConversation(conversation('a', 10, 'Untitled'));
      await repository.putConversation({ ...conversation('a', 10), title: 'Renamed' });
      const list = await repository.listConversations();
      expect(list).toHaveLength(1);
      expect(list[0]?.title).toBe('Renamed');
    });

    it('renames without touching updatedAt, and gives nothing back for a conversation that is gone', async () => {
      const repository = await open();
      await repository.putConversation(conversation('a', 10, 'Untitled'));
      expect(await repository.renameConversation('a', 'Renamed')).toEqual(conversation('a', 10, 'Renamed'));
      expect(await repository.getConversation('a')).toEqual(conversation('a', 10, 'Renamed'));
      expect(await repository.renameConversation('missing', 'x')).toBeUndefined();
    });

    it('sets and clears a preset in one write, keeping the title and updatedAt, and nothing for one that is gone', async () => {
      const repository = await open();
      await repository.putConversation(conversation('a', 10, 'Untitled'));
      await repository.renameConversation('a', 'Renamed');
      expect(await repository.setConversationPreset('a', 'builtin:creative')).toEqual({
        ...conversation('a', 10, 'Renamed'),
        presetId: 'builtin:creative',
      });
      expect(await repository.getConversation('a')).toEqual({
        ...conversation('a', 10, 'Renamed'),
        presetId: 'builtin:creative',
      });
      expect(await repository.setConversationPreset('a', '')).toEqual(conversation('a', 10, 'Renamed'));
      expect(await repository.getConversation('a')).not.toHaveProperty('presetId');
      expect(await repository.setConversationPreset('missing', 'builtin:precise')).toBeUndefined();
    });

    it('deletes a conversation with all its messages and leaves other conversations alone', async () => {
      const repository = await open();
      await repository.putConversation(conversation('gone', 10));
      await repository.putConversation(conversation('kept', 20));
      await repository.putMessage(message('g1', 'gone', 1));
      await repository.putMessage(message('g2', 'gone', 2));
      await repository.putMessage(message('k1', 'kept', 3));

      await repository.deleteConversation('gone');

      expect(await repository.getConversation('gone')).toBeUndefined();
      expect(await repository.listMessages('gone')).toEqual([]);
      expect(await repository.getMessage('g1')).toBeUndefined();
      expect((await repository.listConversations()).map((c) => c.id)).toEqual(['kept']);
      expect((await repository.listMessages('kept')).map((m) => m.id)).toEqual(['k1']);
    });
  });
}

function describeMessageContract(open: RepositoryFactory): void {
  describe('messages', () => {
    it('round-trips every field of a reply, including usage and the engine that wrote it', async () => {
      const repository = await open();
      await repository.putConversation(conversation('c', 1));
      const reply = message('r', 'c', 5, {
        role: 'assistant',
        content: 'Bonjour ! **Gras** et `code`.',
        status: 'error',
        error: 'The connection dropped.',
        engine: 'local',
        model: 'Mistral-7B-Instruct-v0.3-q4f16_1-MLC',
        usage: { promptTokens: 12, completionTokens: 34, decodeTokensPerSecond: 8.5 },
      });
      await repository.putMessage(reply);

      // The first message of a conversation follows nothing.
      expect(await repository.listMessages('c')).toEqual([{ ...reply, parentId: null }]);
      expect(await repository.getMessage('r')).toEqual({ ...reply, parentId: null });
      expect(await repository.getMessage('missing')).toBeUndefined();
    });

    it("lists one conversation's messages oldest first, whatever order they were written in", async () => {
      const repository = await open();
      await repository.putConversation(conversation('c', 1));
      await repository.putConversation(conversation('other', 1));
      await repository.putMessage(message('third', 'c', 300));
      await repository.putMessage(message('first', 'c', 100));
      await repository.putMessage(message('elsewhere', 'other', 150));
      await repository.putMessage(message('second', 'c', 200));
      expect((await repository.listMessages('c')).map((m) => m.id)).toEqual(['first', 'second', 'third']);
    });

    it('reads the newest messages of a conversation alone, and says whether that was all of them', async () => {
      const repository = await open();
      await repository.putConversation(conversation('c', 1));
      await repository.putConversation(conversation('other', 1));
      for (const createdAt of [100, 200, 300, 400, 500])
        await repository.putMessage(message(`m${createdAt}`, 'c', createdAt));
      await repository.putMessage(message('later elsewhere', 'other', 900));

      expect(await repository.listNewestMessages('c', 2)).toEqual({
        messages: [expect.objectContaining({ id: 'm400' }), expect.objectContaining({ id: 'm500' })],
        complete: false,
      });
      const all = await repository.listNewestMessages('c', 5);
      expect(all.complete).toBe(true);
      expect(all.messages).toEqual(await repository.listMessages('c'));
      expect(await repository.listNewestMessages('empty', 5)).toEqual({ messages: [], complete: true });
    });

    it('leaves out, together, messages created in the same millisecond as the newest one left out', async () => {
      const repository = await open();
      await repository.putConversation(conversation('c', 1));
      for (const [id, createdAt] of [
        ['a', 100],
        ['b', 200],
        ['c', 200],
        ['d', 300],
      ] as const)
        await repository.putMessage(message(id, 'c', createdAt));

      const newest = await repository.listNewestMessages('c', 2);
      expect(newest.messages.map((m) => m.id)).toEqual(['d']);
      expect(newest.complete).toBe(false);
    });

    it('overwrites a streaming reply with its later state', async () => {
      const repository = await open();
      await repository.putConversation(conversation('c', 1));
      await repository.putMessage(message('r', 'c', 5, { role: 'assistant', content: 'Hel', status: 'streaming' }));
      await repository.putMessage(
        message('r', 'c', 5, { role: 'assistant', content: 'Hello there', status: 'complete', updatedAt: 9 }),
      );
      const messages = await repository.listMessages('c');
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({ content: 'Hello there', status: 'complete' });
    });

    it('moves the conversation to the top of the list when a message is written, and never back in time', async () => {
      const repository = await open();
      await repository.putConversation(conversation('quiet', 100));
      await repository.putConversation(conversation('busy', 200));

      await repository.putMessage(message('m', 'quiet', 50, { updatedAt: 500 }));
      expect(await repository.getConversation('quiet')).toMatchObject({ updatedAt: 500 });
      expect((await repository.listConversations()).map((c) => c.id)).toEqual(['quiet', 'busy']);

      await repository.putMessage(message('late-edit', 'busy', 10, { updatedAt: 150 }));
      expect(await repository.getConversation('busy')).toMatchObject({ updatedAt: 200 });
    });

    it('does not write a message whose conversation does not exist (deleted mid-reply)', async () => {
      const repository = await open();
      await repository.putMessage(message('orphan', 'gone', 1));
      expect(await repository.getMessage('orphan')).toBeUndefined();
      expect(await repository.listMessages('gone')).toEqual([]);
      expect(await repository.listConversations()).toEqual([]);
    });

    it('hands out copies: changing a record read or written does not change what is stored', async () => {
      const repository = await open();
      const written = conversation('c', 1, 'As written');
      await repository.putConversation(written);
      const sent = message('m', 'c', 2, { content: 'As sent' });
      await repository.putMessage(sent);
      written.title = 'Changed after writing';
      sent.content = 'Changed after sending';
      const read = (await repository.getConversation('c'))!;
      read.title = 'Changed after reading';
      const [listed] = await repository.listMessages('c');
      listed!.content = 'Changed after listing';
      const got = (await repository.getMessage('m'))!;
      got.content = 'Changed after getting';

      expect(await repository.getConversation('c')).toMatchObject({ title: 'As written' });
      expect(await repository.getMessage('m')).toMatchObject({ content: 'As sent' });
    });

    it('deletes one message, or all of a conversation, keeping the conversation', async () => {
      const repository = await open();
      await repository.putConversation(conversation('c', 1));
      await repository.putMessage(message('a', 'c', 1));
      await repository.putMessage(message('b', 'c', 2));
      await repository.putMessage(message('c1', 'c', 3));

      await repository.deleteMessage('b');
      expect((await repository.listMessages('c')).map((m) => m.id)).toEqual(['a', 'c1']);
      await repository.deleteMessage('never-stored');

      await repository.deleteMessages('c');
      expect(await repository.listMessages('c')).toEqual([]);
      expect(await repository.getConversation('c')).toBeDefined();
    });
  });
}

function describeDeleteAndUndoContract(open: RepositoryFactory): void {
  describe('delete with undo', () => {
    it('gives back the deleted conversation with every branch, and Undo puts all of it back', async () => {
      const repository = await open();
      await repository.putConversation(conversation('c', 100, 'Keep me'));
      await repository.putConversation(conversation('other', 50));
      await repository.putMessage(message('u1', 'c', 110));
      await repository.putMessage(
        message('a1', 'c', 120, { role: 'assistant', usage: { promptTokens: 1, completionTokens: 2 } }),
      );
      await repository.putMessage(message('a1b', 'c', 130, { role: 'assistant', parentId: 'u1' }));
      await repository.setActiveLeaf('c', 'a1');
      const before = { list: await repository.listConversations(), messages: await repository.listMessages('c') };

      const deleted = await repository.deleteConversation('c');
      expect((await repository.listConversations()).map((c) => c.id)).toEqual(['other']);
      expect(await repository.listMessages('c')).toEqual([]);
      expect(deleted?.conversation).toEqual(before.list[0]);
      expect(deleted?.messages).toEqual(before.messages);

      await repository.restoreConversation(deleted!);
      expect(await repository.listConversations()).toEqual(before.list);
      expect(await repository.listMessages('c')).toEqual(before.messages);
      expect((await repository.getConversation('c'))?.activeLeafId).toBe('a1');
    });

    it('finds the restored conversation again in search', async () => {
      const repository = await open();
      await repository.putConversation(conversation('c', 100, 'Recipes'));
      await repository.putMessage(message('u1', 'c', 110, { content: 'A tarte Tatin, please' }));
      expect(await repository.searchConversations('tatin')).toHaveLength(1);

      const deleted = await repository.deleteConversation('c');
      expect(await repository.searchConversations('tatin')).toEqual([]);
      await repository.restoreConversation(deleted!);
      expect((await repository.searchConversations('tatin')).map((r) => r.conversationId)).toEqual(['c']);
    });

    it('gives nothing back for a conversation that does not exist', async () => {
      const repository = await open();
      expect(await repository.deleteConversation('gone')).toBeUndefined();
    });
  });
}

function describeSearchBackupAndSizeContract(open: RepositoryFactory): void {
  describe('search, backup and size', () => {
    it('searches titles and every branch, ignoring case and accents, title matches first', async () => {
      const repository = await open();
      await repository.putConversation(conversation('paris', 100, 'Week-end à Paris'));
      await repository.putMessage(message('p1', 'paris', 110, { content: 'Où manger une crème brûlée ?' }));
      // An alternative reply, on a branch that is not shown: still searched.
      await repository.putMessage(
        message('p2b', 'paris', 130, { role: 'assistant', parentId: null, content: 'Un café ?' }),
      );
      await repository.putConversation(conversation('code', 200, 'Python'));
      await repository.putMessage(message('c1', 'code', 210, { content: 'Is there a Python meetup in Paris?' }));

      expect(await repository.searchConversations('CAFE')).toMatchObject([
        { conversationId: 'paris', matches: [{ messageId: 'p2b', snippet: 'Un café ?' }] },
      ]);
      expect((await repository.searchConversations('paris')).map((r) => r.conversationId)).toEqual(['paris', 'code']);
      expect(await repository.searchConversations('creme brulee')).toMatchObject([{ conversationId: 'paris' }]);
      expect(await repository.searchConversations('tokyo')).toEqual([]);
    });

    it('searches the names and text of files sent with a message, and forgets them with their message', async () => {
      const repository = await open();
      await repository.putConversation(conversation('c', 1, 'Reading'));
      const question = message('u1', 'c', 10, { content: 'What does it say?' });
      const file = attachment('f1', 'c', 'u1', { name: 'Quarterly-Report.txt', text: 'The zeppelin budget rose.' });
      await repository.putMessageWithAttachments(question, [file]);

      expect(await repository.searchConversations('ZEPPELIN')).toMatchObject([
        { conversationId: 'c', matches: [{ messageId: 'u1', attachment: { id: 'f1', name: 'Quarterly-Report.txt' } }] },
      ]);
      expect(await repository.searchConversations('quarterly report')).toMatchObject([{ conversationId: 'c' }]);

      await repository.deleteMessage('u1');
      expect(await repository.searchConversations('zeppelin')).toEqual([]);
    });

    it('reads every conversation and message at once, and imports them elsewhere without overwriting', async () => {
      const source = await open();
      await source.putConversation(conversation('c', 1));
      await source.putMessage(message('u1', 'c', 10));
      await source.putMessage(message('a1', 'c', 20, { role: 'assistant' }));
      await source.putMessage(message('u2', 'c', 30));
      const all = await source.readAllConversations();
      expect(all.conversations.map((c) => c.id)).toEqual(['c']);
      expect(all.messages.map((m) => [m.id, m.parentId])).toEqual([
        ['u1', null],
        ['a1', 'u1'],
        ['u2', 'a1'],
      ]);

      const target = await open();
      await target.putConversation(conversation('c', 5));
      await target.putMessage(message('u1', 'c', 1, { content: 'Already here' }));
      const parsed = parseBackup(await exportAll(source));
      if (!parsed.ok) throw new Error(parsed.message);

      const summary = await target.importBackup(parsed.data);
      expect(summary).toMatchObject({ conversations: 1, messages: 3, skipped: 0 });
      expect(await target.getMessage('u1')).toMatchObject({ content: 'Already here' });
      const [importedId] = summary.conversationIds;
      expect(importedId).not.toBe('c');
      expect((await target.listMessages(importedId!)).map((m) => m.content)).toEqual([
        'Message u1',
        'Message a1',
        'Message u2',
      ]);
      expect(await target.importBackup(parsed.data)).toMatchObject({ conversations: 0, skipped: 1 });
    });

    it('counts and sizes the conversations', async () => {
      const repository = await open();
      expect(await repository.measureConversations()).toMatchObject({ conversations: 0, messages: 0 });
      await repository.putConversation(conversation('c', 1));
      for (const id of ['u1', 'a1', 'u2']) await repository.putMessage(message(id, 'c', id.length));
      const size = await repository.measureConversations();
      expect(size).toMatchObject({ conversations: 1, messages: 3 });
      expect(size.approximateBytes).toBeGreaterThan(3 * 'Message u1'.length);
    });
  });
}

function describeSettingsAndChangesContract(open: RepositoryFactory): void {
  describe('settings and changes', () => {
    it('starts from the defaults', async () => {
      const repository = await open();
      expect(await repository.loadSettings()).toEqual(DEFAULT_SETTINGS);
    });

    it('changes only the fields named, and returns and keeps the result', async () => {
      const repository = await open();
      await repository.updateSettings({ hfToken: 'hf_first', systemPrompt: 'Answer in French.' });
      const updated = await repository.updateSettings({ systemPrompt: 'Answer in Italian.' });
      expect(updated).toEqual({ ...DEFAULT_SETTINGS, hfToken: 'hf_first', systemPrompt: 'Answer in Italian.' });
      expect(await repository.loadSettings()).toEqual(updated);
    });

    it('changes only the sampling knobs named, keeping the others', async () => {
      const repository = await open();
      await repository.updateSettings({ sampling: { seed: 7 } });
      const updated = await repository.updateSettings({ sampling: { temperature: 0.2 } });
      expect(updated.sampling).toEqual({ ...DEFAULT_SETTINGS.sampling, seed: 7, temperature: 0.2 });
      expect(await repository.loadSettings()).toEqual(updated);
    });

    it('does not report its own writes to its own listeners, and stops reporting once unsubscribed', async () => {
      const repository = await open();
      const heard: StorageChange[] = [];
      const unsubscribe = repository.subscribe((change) => heard.push(change));
      await repository.putConversation(conversation('c', 1));
      await repository.putMessage(message('m', 'c', 2));
      await repository.updateSettings({ systemPrompt: 'Be brief.' });
      unsubscribe();
      // A change from another tab arrives on a later task: give one the time to arrive.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(heard).toEqual([]);
    });
  });
}
