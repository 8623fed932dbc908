import { describe, expect, it, vi } from 'vitest';
import { SOURCES_UNREADABLE } from '../../../src/state/reply-sources.js';
import { MemoryRepository } from '../fakes/memory-repository.js';
import { InProcessPassageIndex } from '../fakes/in-process-passage-index.js';
import { messageWith, numberedAnswers, setup } from './session-setup.js';

const NEEDLE = 'The vault password is PINEAPPLE-42.';

function textFile(text: string, name = 'notes.txt'): File {
  return new File([text], name, { type: 'text/plain' });
}

/** Far more than a 4,096-token window: sent only as passages. */
function largeText(): string {
  const filler = Array.from({ length: 400 }, (_, index) => `Paragraph ${index} is about the river and the lamp.`);
  filler.splice(200, 0, NEEDLE);
  return filler.join('\n\n');
}

describe('replies to attached files', () => {
  it('the engine sees a small file whole in the question’s turn, and the reply’s sources say so', async () => {
    const { session, repository, lastRequest } = setup(numberedAnswers());
    await session.start();
    await session.attach([textFile('Call Ana at 5.', 'todo.txt')]);
    await session.send('When do I call Ana?');

    expect(lastRequest()).toEqual([
      { role: 'user', content: '<document name="todo.txt">\nCall Ana at 5.\n</document>\n\nWhen do I call Ana?' },
    ]);
    const reply = messageWith(session, 'answer 1');
    const [attachmentId] = messageWith(session, 'When do I call Ana?').attachmentIds!;
    const sources = [{ attachmentId, name: 'todo.txt', whole: true, passages: [] }];
    expect(reply.sources).toEqual(sources);
    expect((await repository.getMessage(reply.id))?.sources).toEqual(sources);
    expect(await session.sourcesOf(reply.id)).toEqual([
      { attachmentId, name: 'todo.txt', whole: true, excerpts: ['Call Ana at 5.'] },
    ]);
  });

  it('a file sent with an earlier question still goes with the next one; the earlier turn stays plain', async () => {
    const { session, lastRequest } = setup(numberedAnswers());
    await session.start();
    await session.attach([textFile('Call Ana at 5.', 'todo.txt')]);
    await session.send('Read this.');
    await session.send('When do I call Ana?');
    const turns = lastRequest();
    expect(turns.slice(0, 2)).toEqual([
      { role: 'user', content: 'Read this.' },
      { role: 'assistant', content: 'answer 1' },
    ]);
    expect(turns[2]!.content).toBe('<document name="todo.txt">\nCall Ana at 5.\n</document>\n\nWhen do I call Ana?');
    expect(messageWith(session, 'answer 2').sources).toHaveLength(1);
  });

  it('a large file goes as the passage that answers; its sources show that passage’s text', async () => {
    const { session, lastRequest } = setup(numberedAnswers());
    await session.start();
    await session.attach([textFile(largeText(), 'big.txt')]);
    await session.send('What is the vault password?');
    expect(lastRequest().at(-1)!.content).toContain(NEEDLE);
    const reply = messageWith(session, 'answer 1');
    expect(reply.sources?.[0]).toMatchObject({ name: 'big.txt', whole: false });
    const [shown] = await session.sourcesOf(reply.id);
    expect(shown).toMatchObject({ name: 'big.txt', whole: false });
    expect(shown!.excerpts.some((excerpt) => excerpt.includes(NEEDLE))).toBe(true);
    expect(shown!.excerpts.join('').length).toBeLessThan(largeText().length / 4);
  });

  it('regenerating sees the files again, and the new reply has its own sources', async () => {
    const { session, lastRequest } = setup(numberedAnswers());
    await session.start();
    await session.attach([textFile('Call Ana at 5.', 'todo.txt')]);
    await session.send('When?');
    await session.regenerate(messageWith(session, 'answer 1').id);
    expect(lastRequest().at(-1)!.content).toContain('Call Ana at 5.');
    expect(messageWith(session, 'answer 2').sources).toHaveLength(1);
  });

  it('after a reload, a stored file is indexed again with its stored passages and still answers', async () => {
    const repository = new MemoryRepository();
    const before = setup(numberedAnswers(), { repository });
    await before.session.start();
    await before.session.attach([textFile(largeText(), 'big.txt')]);
    await before.session.send('Read this.');
    const [attachmentId] = messageWith(before.session, 'Read this.').attachmentIds!;

    const index = new InProcessPassageIndex();
    const after = setup(numberedAnswers(), { repository, idPrefix: 'reloaded', passageIndex: index });
    await after.session.start();
    await after.session.send('What is the vault password?');
    expect(index.added).toEqual([attachmentId]);
    expect(after.lastRequest().at(-1)!.content).toContain(NEEDLE);
  });

  it('a reply without files has no sources, and shows none', async () => {
    const { session } = setup(numberedAnswers());
    await session.start();
    await session.send('hello');
    const reply = messageWith(session, 'answer 1');
    expect(reply).not.toHaveProperty('sources');
    expect(await session.sourcesOf(reply.id)).toEqual([]);
    expect(await session.sourcesOf('no-such-message')).toEqual([]);
  });

  it('sources that cannot be read become an alert, and show none', async () => {
    const { session, repository } = setup(numberedAnswers());
    await session.start();
    await session.attach([textFile('Call Ana at 5.', 'todo.txt')]);
    await session.send('When?');
    vi.spyOn(repository, 'getAttachment').mockRejectedValue(new Error('read failed'));
    expect(await session.sourcesOf(messageWith(session, 'answer 1').id)).toEqual([]);
    expect(session.getState().alerts.map((alert) => alert.message)).toEqual([SOURCES_UNREADABLE]);
  });

  it('a large "max new tokens" setting still leaves room for a file locally', async () => {
    const { session, lastRequest } = setup(numberedAnswers());
    await session.start();
    await session.updateSettings({
      engine: 'local',
      sampling: { ...session.getState().settings.sampling, maxNewTokens: 4_096 },
    });
    await session.attach([textFile('Call Ana at 5.', 'todo.txt')]);
    await session.send('When?');
    expect(lastRequest().at(-1)!.content).toContain('Call Ana at 5.');
  });

  it('an edited question keeps its files: the edit gets copies, the original keeps its own', async () => {
    const { session, repository, lastRequest } = setup(numberedAnswers());
    await session.start();
    await session.attach([textFile('Call Ana at 5.', 'todo.txt')]);
    await session.send('When?');
    const original = messageWith(session, 'When?');
    await session.editMessage(original.id, 'At what time?');

    expect(lastRequest().at(-1)!.content).toContain('Call Ana at 5.');
    const edit = messageWith(session, 'At what time?');
    expect(edit.attachmentIds).toHaveLength(1);
    expect(edit.attachmentIds).not.toEqual(original.attachmentIds);
    const stored = await repository.listAttachments(edit.conversationId);
    expect(stored.map((attachment) => [attachment.messageId, attachment.text])).toEqual([
      [original.id, 'Call Ana at 5.'],
      [edit.id, 'Call Ana at 5.'],
    ]);
    expect(session.getState().attachments[edit.attachmentIds![0]!]).toMatchObject({ name: 'todo.txt' });
    expect(messageWith(session, 'answer 2').sources).toMatchObject([{ name: 'todo.txt', whole: true }]);
  });
});
