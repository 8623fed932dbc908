import { describe, expect, it } from 'vitest';
import { displayName, type ReadResult } from '../../../src/documents/read-attachment.js';
import type { AttachmentReader } from '../../../src/state/attachment-tray.js';
import { MemoryRepository } from '../fakes/memory-repository.js';
import { messageWith, numberedAnswers, setup, until, twoTabs } from './session-setup.js';

function textFile(text: string, name = 'notes.txt'): File {
  return new File([text], name, { type: 'text/plain' });
}

/** A reader that holds every file until `release`: the file stays 'reading' meanwhile. */
function heldReader() {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const loadReader = async (): Promise<AttachmentReader> => ({
    displayName,
    readAttachment: async (file): Promise<ReadResult> => {
      await released;
      return { ok: true, document: { text: await file.text(), type: 'text/plain' } };
    },
  });
  return { loadReader, release };
}

describe('sending attachments', () => {
  it('stores the ready files with the user message, split into passages, and empties the tray', async () => {
    const { session, repository } = setup(numberedAnswers());
    await session.start();
    await session.attach([textFile('The launch code is 7431.', 'codes.txt'), textFile('# Plan', 'plan.md')]);
    await session.send('What is the launch code?');

    const question = messageWith(session, 'What is the launch code?');
    const stored = await repository.listAttachments(question.conversationId);
    expect(stored.map((attachment) => attachment.name)).toEqual(['codes.txt', 'plan.md']);
    expect(question.attachmentIds).toEqual(stored.map((attachment) => attachment.id));
    expect((await repository.getMessage(question.id))?.attachmentIds).toEqual(question.attachmentIds);
    expect(stored[0]).toMatchObject({
      conversationId: question.conversationId,
      messageId: question.id,
      type: 'text/plain',
      size: 24,
      text: 'The launch code is 7431.',
      passages: [{ start: 0, end: 24 }],
    });
    const { pendingAttachments, attachments } = session.getState();
    expect(pendingAttachments).toEqual([]);
    expect(attachments[stored[0]!.id]).toEqual({
      id: stored[0]!.id,
      name: 'codes.txt',
      type: 'text/plain',
      size: 24,
      kept: false,
    });
    expect(stored[0]).not.toHaveProperty('bytes');
    expect(attachments[stored[1]!.id]).toMatchObject({ name: 'plan.md', type: 'text/markdown' });
  });

  it('keeps the original file as sent only when Settings say to keep originals', async () => {
    const { session, repository } = setup(numberedAnswers());
    await session.start();
    await session.attach([textFile('Text only.', 'plain.txt')]);
    await session.send('First');
    await session.updateSettings({ keepAttachmentOriginals: true });
    await session.attach([textFile('Kept as attached.', 'kept.txt')]);
    await session.send('Second');

    const conversationId = messageWith(session, 'Second').conversationId;
    const [plain, kept] = await repository.listAttachments(conversationId);
    expect(plain).not.toHaveProperty('bytes');
    expect(await kept?.bytes?.text()).toBe('Kept as attached.');
    const { attachments } = session.getState();
    expect(attachments[plain!.id]?.kept).toBe(false);
    expect(attachments[kept!.id]?.kept).toBe(true);
    expect(await (await session.originalOf(kept!.id))?.text()).toBe('Kept as attached.');
    expect(await session.originalOf(plain!.id)).toBeUndefined();
  });

  it('a message without files stores none and names none', async () => {
    const { session, repository } = setup(numberedAnswers());
    await session.start();
    await session.send('hello');
    const question = messageWith(session, 'hello');
    expect(question).not.toHaveProperty('attachmentIds');
    expect(await repository.listAttachments(question.conversationId)).toEqual([]);
  });

  it('a send while a file is still read waits for it, and sends it', async () => {
    const reader = heldReader();
    const { session, repository } = setup(numberedAnswers(), { loadAttachmentReader: reader.loadReader });
    await session.start();
    void session.attach([textFile('slow text')]);
    await until(() => session.getState().pendingAttachments.length === 1);
    const sent = session.send('read it');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(session.getState().messages).toEqual([]);
    reader.release();
    await sent;
    const question = messageWith(session, 'read it');
    expect(question.attachmentIds).toHaveLength(1);
    expect((await repository.listAttachments(question.conversationId)).map((a) => a.text)).toEqual(['slow text']);
  });

  it('a failed write leaves the files in the tray, to send again', async () => {
    const { session, repository } = setup(numberedAnswers());
    await session.start();
    await session.send('first');
    await session.attach([textFile('kept')]);
    repository.failNextWrite = new Error('disk full');
    await session.send('with a file');
    expect(session.getState().alerts).toHaveLength(1);
    expect(session.getState().pendingAttachments.map((attachment) => attachment.status)).toEqual(['ready']);
    expect(await repository.listAttachments(messageWith(session, 'first').conversationId)).toEqual([]);
  });

  it('opening a conversation lists its files (names and sizes, no text); another conversation has none', async () => {
    const repository = new MemoryRepository();
    const first = setup(numberedAnswers(), { repository });
    await first.session.start();
    await first.session.attach([textFile('Inside the file.', 'inside.txt')]);
    await first.session.send('with a file');
    const withFile = first.session.getState().activeConversationId!;
    await first.session.newConversation();
    expect(first.session.getState().attachments).toEqual({});
    await first.session.send('without a file');

    const reloaded = setup(numberedAnswers(), { repository, idPrefix: 'reloaded' });
    await reloaded.session.start();
    expect(reloaded.session.getState().attachments).toEqual({});
    await reloaded.session.openConversation(withFile);
    const summaries = Object.values(reloaded.session.getState().attachments);
    expect(summaries).toEqual([
      { id: expect.any(String), name: 'inside.txt', type: 'text/plain', size: 16, kept: false },
    ]);
    expect(messageWith(reloaded.session, 'with a file').attachmentIds).toEqual([summaries[0]!.id]);
  });

  it('a file sent from another tab is listed here too', async () => {
    const { a, b } = twoTabs();
    await a.session.start();
    await b.session.start();
    await a.session.send('first');
    await until(() => b.session.getState().conversations.length === 1);
    await b.session.openConversation(a.session.getState().activeConversationId!);

    await a.session.attach([textFile('From tab a.', 'a.txt')]);
    await a.session.send('with a file');
    await until(() => Object.keys(b.session.getState().attachments).length === 1);
    const [id] = messageWith(b.session, 'with a file').attachmentIds!;
    expect(b.session.getState().attachments[id!]).toMatchObject({ name: 'a.txt' });
  });

  it('Undo last exchange puts the question’s files back in the tray with its text; Undo takes them out again', async () => {
    const { session, repository } = setup(numberedAnswers());
    await session.start();
    await session.attach([textFile('First file.', 'one.txt'), textFile('Second file.', 'two.txt')]);
    await session.send('About these?');
    const conversationId = session.getState().activeConversationId!;
    await session.undoLastExchange();

    expect(session.getState().draft.text).toBe('About these?');
    expect(session.getState().pendingAttachments).toMatchObject([
      { name: 'one.txt', status: 'ready', size: 11 },
      { name: 'two.txt', status: 'ready', size: 12 },
    ]);
    expect(await repository.listAttachments(conversationId)).toEqual([]);

    await session.undoDelete();
    expect(session.getState().pendingAttachments).toEqual([]);
    expect((await repository.listAttachments(conversationId)).map((attachment) => attachment.name)).toEqual([
      'one.txt',
      'two.txt',
    ]);
  });

  it('files put back by Undo last exchange go with the question when it is sent again', async () => {
    const { session, repository, lastRequest } = setup(numberedAnswers());
    await session.start();
    await session.attach([textFile('Call Ana at 5.', 'todo.txt')]);
    await session.send('When?');
    await session.undoLastExchange();
    await session.send('When exactly?');
    expect(lastRequest().at(-1)!.content).toContain('Call Ana at 5.');
    const question = messageWith(session, 'When exactly?');
    expect((await repository.listAttachments(question.conversationId)).map((a) => a.messageId)).toEqual([question.id]);
  });
});
