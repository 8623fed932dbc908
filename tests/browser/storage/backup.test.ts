import { describe, expect, it, vi } from 'vitest';
import { type Settings, DEFAULT_SETTINGS } from '../../../src/domain/settings.js';
import {
  BACKUP_VERSION,
  createBackup,
  exportAll,
  exportConversationMarkdown,
  importBackupFile,
  parseBackup,
  type BackupData,
} from '../../../src/storage/backup.js';
import { visiblePath } from '../../../src/domain/branches.js';
import { STORAGE_MESSAGES, StorageError } from '../../../src/storage/errors.js';
import type { ChatRepository } from '../../../src/storage/types.js';
import { conversation, message, useTestRepositories } from './harness.js';

const { open } = useTestRepositories();

const SECRET_SETTINGS: Settings = {
  ...DEFAULT_SETTINGS,
  hfToken: 'hf_SecretTokenThatMustNeverLeave0123456',
  endpointUrl: 'https://user:pass@llm.example/v1',
  endpointKeys: { 'http://localhost:8080': 'sk-endpoint-secret-key' },
  systemPrompt: 'A private system prompt',
};

/** Two conversations, one with a branch, as the source of a backup. */
async function fill(repository: ChatRepository): Promise<void> {
  await repository.updateSettings(SECRET_SETTINGS);
  await repository.putConversation(conversation('trip', 100, 'Trip to Lyon'));
  await repository.putMessage(message('t1', 'trip', 110, { content: 'Where to eat in Lyon?' }));
  await repository.putMessage(
    message('t2', 'trip', 120, {
      role: 'assistant',
      content: 'A **bouchon**: try the quenelles.',
      engine: 'hosted',
      model: 'mistralai/Mistral-7B-Instruct-v0.3',
      usage: { promptTokens: 12, completionTokens: 9 },
    }),
  );
  await repository.putMessage(
    message('t2b', 'trip', 130, { role: 'assistant', parentId: 't1', content: 'Les Halles.' }),
  );
  await repository.putConversation(conversation('code', 200, 'Python'));
  await repository.putMessage(message('c1', 'code', 210, { content: 'How do I read a CSV?' }));
}

/** Everything stored, to compare before and after. */
async function everything(repository: ChatRepository) {
  return { ...(await repository.readAllConversations()), settings: await repository.loadSettings() };
}

async function exportedData(repository: ChatRepository): Promise<{ json: string; data: BackupData }> {
  const json = await exportAll(repository);
  const parsed = parseBackup(json);
  if (!parsed.ok) throw new Error(parsed.message);
  return { json, data: parsed.data };
}

describe('export', () => {
  it('writes every conversation, message and branch, and never the token, the key or any setting', async () => {
    const repository = await open();
    await fill(repository);
    const { json, data } = await exportedData(repository);

    expect(JSON.parse(json)).toMatchObject({ format: 'private-mistral-chat', version: BACKUP_VERSION });
    expect(data.conversations.map((c) => c.id)).toEqual(['code', 'trip']);
    expect(data.messages.map((m) => [m.id, m.parentId])).toEqual([
      ['c1', null],
      ['t1', null],
      ['t2', 't1'],
      ['t2b', 't1'],
    ]);
    for (const secret of [
      SECRET_SETTINGS.hfToken,
      SECRET_SETTINGS.endpointKeys['http://localhost:8080']!,
      'user:pass',
      'private system prompt',
    ]) {
      expect(json).not.toContain(secret);
    }
    expect(json).not.toMatch(/hfToken|endpointKeys|settings/);
  });

  it('writes the branch shown of one conversation as Markdown', async () => {
    const repository = await open();
    await fill(repository);
    const trip = await repository.getConversation('trip');
    const path = visiblePath(await repository.listMessages('trip'), trip?.activeLeafId).map((entry) => entry.message);
    const markdown = exportConversationMarkdown(trip!, path);
    expect(markdown).toMatch(/^# Trip to Lyon\n/);
    expect(markdown).toContain('## You\n\nWhere to eat in Lyon?');
    expect(markdown).toContain('## Assistant\n\nLes Halles.');
    expect(markdown).not.toContain('quenelles');
  });
});

describe('import', () => {
  it('adds a backup to a database that already uses its ids, overwriting nothing and keeping everything', async () => {
    const source = await open();
    await fill(source);
    const { data } = await exportedData(source);

    const target = await open();
    // Same ids, different content: what was stored here must survive untouched.
    await target.updateSettings({ ...DEFAULT_SETTINGS, hfToken: 'hf_targetToken' });
    await target.putConversation(conversation('trip', 900, 'A different trip'));
    await target.putMessage(message('t1', 'trip', 910, { content: 'Where is the station?' }));
    await target.putMessage(message('t2', 'trip', 920, { role: 'assistant', content: 'Next to the river.' }));
    const before = await everything(target);

    const summary = await target.importBackup(data);
    expect(summary).toMatchObject({ conversations: 2, messages: 4, skipped: 0, renamed: 3 });

    const after = await everything(target);
    expect(after.settings).toEqual(before.settings);
    for (const record of before.conversations) expect(after.conversations).toContainEqual(record);
    for (const record of before.messages) expect(after.messages).toContainEqual(record);
    expect(after.conversations).toHaveLength(3);
    expect(after.messages).toHaveLength(6);

    // The imported trip has a fresh id, and its branches still hang together under it.
    const importedTrip = summary.conversationIds[data.conversations.findIndex((c) => c.id === 'trip')]!;
    expect(importedTrip).not.toBe('trip');
    const stored = await target.getConversation(importedTrip);
    expect(stored).toMatchObject({ title: 'Trip to Lyon', createdAt: 100 });
    const path = visiblePath(await target.listMessages(importedTrip), stored?.activeLeafId);
    expect(path.map((entry) => [entry.message.content, entry.position, entry.count])).toEqual([
      ['Where to eat in Lyon?', 1, 1],
      ['Les Halles.', 2, 2],
    ]);
    expect((await target.getConversation('code'))?.title).toBe('Python');
  });

  it('adds nothing when the same backup file is imported again', async () => {
    const repository = await open();
    await fill(repository);
    const { json } = await exportedData(repository);
    const before = await everything(repository);
    const outcome = await importBackupFile(repository, new File([json], 'private-mistral-chat.json'));
    expect(outcome).toEqual({
      ok: true,
      summary: {
        conversations: 0,
        messages: 0,
        attachments: 0,
        presets: 0,
        skipped: 2,
        renamed: 0,
        conversationIds: [],
      },
    });
    expect(await everything(repository)).toEqual(before);
  });

  it('refuses a broken, foreign, newer or inconsistent file with a clear message, and writes nothing', async () => {
    const repository = await open();
    await fill(repository);
    const { json } = await exportedData(repository);
    const file = JSON.parse(json) as { messages: Record<string, unknown>[] };
    const before = await everything(repository);

    const refusals: [string, RegExp][] = [
      [json.slice(0, json.length - 40), /^The backup is damaged: it is not complete JSON/],
      ['{"name":"my-package","version":"1.0.0"}', /^This file is not a Private Mistral Chat backup\./],
      ['PK\u0003\u0004 a zip file', /^This file is not a Private Mistral Chat backup: it is not JSON\./],
      [JSON.stringify({ ...file, version: BACKUP_VERSION + 1 }), /^This backup is from a newer version of the app/],
      [
        JSON.stringify({
          ...file,
          messages: [...file.messages, { ...file.messages[0], id: 'x', conversationId: 'nowhere' }],
        }),
        /^The backup is damaged: message 5 belongs to a conversation that is not in the file\./,
      ],
      [
        JSON.stringify({ ...file, messages: file.messages.map((m, i) => (i === 2 ? { ...m, content: null } : m)) }),
        /^The backup is damaged: message 3 has no text\./,
      ],
    ];
    for (const [text, expected] of refusals) {
      const outcome = await importBackupFile(repository, new File([text], 'backup.json'));
      expect(outcome.ok).toBe(false);
      expect(!outcome.ok && outcome.message).toMatch(expected);
    }
    expect(await everything(repository)).toEqual(before);
  });

  it('is one transaction: a failure half way leaves nothing of the backup behind', async () => {
    const source = await open();
    await fill(source);
    const { data } = await exportedData(source);
    const target = await open();
    await target.putConversation(conversation('kept', 1));
    const before = await everything(target);

    const realAdd = IDBObjectStore.prototype.add;
    let adds = 0;
    vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (++adds === 4) throw new DOMException('Something broke', 'UnknownError');
      return realAdd.apply(this, args);
    });
    await expect(target.importBackup(data)).rejects.toBeInstanceOf(StorageError);
    vi.restoreAllMocks();

    expect(adds).toBe(4);
    expect(await everything(target)).toEqual(before);
    expect(await target.searchConversations('lyon')).toEqual([]);
  });

  it('says so when the disk is full, and loses nothing already stored', async () => {
    const source = await open();
    await fill(source);
    const { data } = await exportedData(source);
    const target = await open();
    await target.putConversation(conversation('kept', 1));
    await target.putMessage(message('k1', 'kept', 2));
    const before = await everything(target);

    vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const failure = target.importBackup(data);
    await expect(failure).rejects.toBeInstanceOf(StorageError);
    await expect(failure).rejects.toMatchObject({ kind: 'quota', userMessage: STORAGE_MESSAGES.importQuota });
    vi.restoreAllMocks();

    expect(await everything(target)).toEqual(before);
  });

  it('stores hostile text as plain text, exactly as it was in the file', async () => {
    const repository = await open();
    const hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script>\u202e\u0000';
    const parsed = parseBackup(
      JSON.stringify(
        createBackup({
          conversations: [conversation('h', 1, '<b onclick=alert(3)>title</b>')],
          messages: [message('h1', 'h', 2, { parentId: null, content: hostile })],
        }),
      ),
    );
    if (!parsed.ok) throw new Error(parsed.message);
    await repository.importBackup(parsed.data);
    expect((await repository.getMessage('h1'))?.content).toBe(hostile);
    expect((await repository.getConversation('h'))?.title).toBe('<b onclick=alert(3)>title</b>');
  });
});
