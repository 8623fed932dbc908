import { describe, expect, it, vi } from 'vitest';
import type { ConversationRecord, MessageRecord } from '../../../src/domain/records.js';
import {
  BACKUP_FORMAT,
  BACKUP_MESSAGES,
  BACKUP_VERSION,
  backupFileName,
  createBackup,
  exportAll,
  exportConversationMarkdown,
  importBackupFile,
  importSummaryMessage,
  MAX_BACKUP_BYTES,
  UNREADABLE_FILE_MESSAGE,
  markdownFileName,
  parseBackup,
  type BackupData,
} from '../../../src/storage/backup.js';
import { conversationsToCompare, planImport, type StoredState } from '../../../src/storage/import-plan.js';
import { STORAGE_MESSAGES, StorageError } from '../../../src/storage/errors.js';
import type { StoredMessage } from '../../../src/storage/schema.js';

const conversations: ConversationRecord[] = [
  { id: 'c1', title: 'Trip to Lyon', createdAt: 1, updatedAt: 40, activeLeafId: 'a1b' },
  { id: 'c2', title: 'Empty', createdAt: 2, updatedAt: 2 },
];
const messages: StoredMessage[] = [
  {
    id: 'u1',
    conversationId: 'c1',
    parentId: null,
    role: 'user',
    content: 'Where to eat?',
    createdAt: 10,
    updatedAt: 10,
    status: 'complete',
  },
  {
    id: 'a1',
    conversationId: 'c1',
    parentId: 'u1',
    role: 'assistant',
    content: 'A **bouchon**.',
    createdAt: 20,
    updatedAt: 20,
    status: 'complete',
    engine: 'hosted',
    model: 'mistralai/Mistral-7B-Instruct-v0.3',
    usage: { promptTokens: 10, completionTokens: 5 },
  },
  {
    id: 'a1b',
    conversationId: 'c1',
    parentId: 'u1',
    role: 'assistant',
    content: 'Half',
    createdAt: 30,
    updatedAt: 40,
    status: 'streaming',
    engine: 'local',
    model: 'Mistral-7B-Instruct-v0.3-q4f16_1-MLC',
    omittedTurns: 2,
    usage: { promptTokens: 1, completionTokens: 2, decodeTokensPerSecond: 9.5 },
  },
];

const file = () =>
  JSON.parse(JSON.stringify(createBackup({ conversations, messages }, new Date(0)))) as Record<string, unknown>;
const text = (value: unknown) => JSON.stringify(value);

function failure(value: unknown): string {
  const parsed = parseBackup(typeof value === 'string' ? value : text(value));
  if (parsed.ok) throw new Error('expected the backup to be refused');
  return parsed.message;
}

function withMessage(index: number, changes: Record<string, unknown>): Record<string, unknown> {
  const edited = file();
  const list = edited['messages'] as Record<string, unknown>[];
  // A change to `undefined` leaves the field out, as a file missing it would.
  list[index] = Object.fromEntries(
    Object.entries({ ...list[index], ...changes }).filter(([, value]) => value !== undefined),
  );
  return edited;
}

describe('createBackup and parseBackup', () => {
  it('round-trips every conversation and message, every field included', () => {
    const parsed = parseBackup(text(createBackup({ conversations, messages }, new Date(0))));
    expect(parsed).toEqual({
      ok: true,
      data: { exportedAt: '1970-01-01T00:00:00.000Z', conversations, messages, attachments: [], presets: [] },
    });
  });

  it('leaves out where a hosted reply was sent: the provider and Endpoint URL are this browser’s settings', () => {
    const sent = messages.map((message) =>
      message.role === 'assistant'
        ? { ...message, provider: 'vllm' as const, endpointUrl: 'http://gpu-box.internal:8000/v1' }
        : message,
    );
    const json = text(createBackup({ conversations, messages: sent }, new Date(0)));
    expect(json).not.toContain('gpu-box.internal');
    expect(json).not.toContain('vllm');
    expect(parseBackup(json)).toEqual({
      ok: true,
      data: { exportedAt: '1970-01-01T00:00:00.000Z', conversations, messages, attachments: [], presets: [] },
    });
  });

  it('marks the file with the format and version', () => {
    expect(file()).toMatchObject({
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      exportedAt: '1970-01-01T00:00:00.000Z',
    });
    expect(Object.keys(file()).sort()).toEqual([
      'attachments',
      'conversations',
      'exportedAt',
      'format',
      'messages',
      'presets',
      'version',
    ]);
  });

  it('exports through the repository as JSON text', async () => {
    const json = await exportAll(
      { readAllConversations: async () => ({ conversations, messages, attachments: [], presets: [] }) },
      new Date(0),
    );
    expect(parseBackup(json)).toMatchObject({ ok: true, data: { conversations, messages } });
  });

  it('writes a message saved without a parent as a first message', () => {
    const legacy: MessageRecord = { ...messages[0]! };
    delete legacy.parentId;
    expect(createBackup({ conversations, messages: [legacy] }).messages[0]?.parentId).toBeNull();
  });

  it('says a file that is not JSON is not a backup', () => {
    expect(failure('\u0089PNG\r\n\u001a\n')).toBe(BACKUP_MESSAGES.notJson);
    expect(failure('')).toBe(BACKUP_MESSAGES.notJson);
  });

  it('says a backup cut short is damaged', () => {
    const whole = text(file());
    expect(failure(whole.slice(0, whole.length / 2))).toBe(BACKUP_MESSAGES.truncated);
  });

  it('says JSON from somewhere else is not a backup', () => {
    expect(failure({ conversations: [], messages: [] })).toBe(BACKUP_MESSAGES.foreign);
    expect(failure([1, 2, 3])).toBe(BACKUP_MESSAGES.foreign);
    expect(failure('"private-mistral-chat"')).toBe(BACKUP_MESSAGES.foreign);
    expect(failure({ ...file(), format: 'chatgpt-export' })).toBe(BACKUP_MESSAGES.foreign);
  });

  it('says a backup from a newer version of the app needs an update', () => {
    const message = failure({ ...file(), version: BACKUP_VERSION + 1 });
    expect(message).toMatch(/^This backup is from a newer version of the app/);
    expect(message).toMatch(/Reload the app/);
  });

  it('names what is damaged and where, in one or two sentences', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...file(), version: 0 }, 'it has no valid version number'],
      [{ ...file(), version: '1' }, 'it has no valid version number'],
      [{ ...file(), messages: 'none' }, 'it has no list of messages'],
      [{ ...file(), exportedAt: 7 }, 'it has no export date'],
      [withMessage(1, { content: undefined }), 'message 2 has no text'],
      [withMessage(1, { content: 42 }), 'message 2 has no text'],
      [withMessage(0, { role: 'system' }), 'message 1 has no valid role'],
      [withMessage(0, { status: 'done' }), 'message 1 has no valid status'],
      [withMessage(0, { id: '' }), 'message 1 has no valid id'],
      [withMessage(0, { createdAt: -5 }), 'message 1 has no valid creation time'],
      [withMessage(2, { updatedAt: 'yesterday' }), 'message 3 has no valid update time'],
      [withMessage(1, { engine: 'gpt' }), 'message 2 has an unknown engine'],
      [withMessage(1, { usage: { promptTokens: -1, completionTokens: 1 } }), 'message 2 has an invalid token count'],
      [withMessage(1, { omittedTurns: 1.5 }), 'message 2 has an invalid count of omitted turns'],
      [withMessage(0, { conversationId: 'nowhere' }), 'message 1 belongs to a conversation that is not in the file'],
      [withMessage(1, { parentId: 'nowhere' }), 'message 2 follows a message that is not in the file'],
      [withMessage(1, { parentId: undefined }), "message 2's parent has no valid id"],
      [withMessage(1, { id: 'u1' }), 'message 2 has the same id as an earlier one'],
      [withMessage(0, { parentId: 'a1' }), 'message 1 is part of a loop of messages following each other'],
      [
        withMessage(0, { content: 'x'.repeat(1_000_001) }),
        'the text of message 1 is too long (over 1,000,000 characters)',
      ],
      [
        {
          ...file(),
          conversations: [
            ...(file()['conversations'] as unknown[]),
            { id: 'c1', title: 'again', createdAt: 1, updatedAt: 1 },
          ],
        },
        'conversation 3 has the same id as an earlier one',
      ],
      [{ ...file(), conversations: [{ id: 'c1', createdAt: 1, updatedAt: 1 }] }, 'conversation 1 has no title'],
      [
        { ...file(), conversations: [{ ...conversations[0], activeLeafId: 'zzz' }, conversations[1]] },
        'conversation 1 shows a message that is not among its own',
      ],
    ];
    for (const [damaged, detail] of cases) {
      expect(failure(damaged)).toBe(
        `The backup is damaged: ${detail}. Nothing was imported; export the backup again or choose another file.`,
      );
    }
  });

  it('refuses a message that follows a message of another conversation', () => {
    const edited = file();
    (edited['messages'] as unknown[]).push({ ...messages[0], id: 'x', conversationId: 'c2', parentId: 'u1' });
    expect(failure(edited)).toMatch(/message 4 follows a message of another conversation/);
  });

  it('refuses records carrying prototype keys, even where they would be ignored', () => {
    const polluted = text(file()).replace('"id":"u1"', '"__proto__":{"polluted":true},"id":"u1"');
    expect(failure(polluted)).toMatch(/^The backup is damaged: message 1 has a field named "__proto__"/);
    expect(failure({ ...file(), constructor: { prototype: {} } })).toMatch(/the file has a field named "constructor"/);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('keeps only the fields a message has: anything else in the file is left behind', () => {
    const parsed = parseBackup(text(withMessage(0, { html: '<img onerror=alert(1)>', extra: { deep: true } })));
    expect(parsed.ok && parsed.data.messages[0]).toEqual(messages[0]);
  });

  it('stores hostile text as the text it is', () => {
    const hostile = '<script>alert(1)</script>\u0000\u202e';
    const parsed = parseBackup(text(withMessage(0, { content: hostile })));
    expect(parsed.ok && parsed.data.messages[0]?.content).toBe(hostile);
  });

  it('upgrades a file of an older version before checking it', () => {
    // As if version 2 had added `parentId`: version 1 files were linear.
    const addParents = (old: Record<string, unknown>) => {
      const list = old['messages'] as Record<string, unknown>[];
      return { ...old, messages: list.map((m, i) => ({ ...m, parentId: i === 0 ? null : list[i - 1]?.['id'] })) };
    };
    const v1 = {
      ...file(),
      version: 1,
      conversations: [{ id: 'c', title: 'Old', createdAt: 1, updatedAt: 1 }],
      messages: [
        { id: 'm1', conversationId: 'c', role: 'user', content: 'hi', createdAt: 1, updatedAt: 1, status: 'complete' },
        {
          id: 'm2',
          conversationId: 'c',
          role: 'assistant',
          content: 'hello',
          createdAt: 2,
          updatedAt: 2,
          status: 'complete',
        },
      ],
    };
    const parsed = parseBackup(text(v1), [addParents]);
    expect(parsed.ok && parsed.data.messages.map((m) => [m.id, m.parentId])).toEqual([
      ['m1', null],
      ['m2', 'm1'],
    ]);
    expect(parseBackup(text({ ...v1, version: 2 }), [addParents]).ok).toBe(false);
    expect(failure({ ...v1, version: 3 })).toMatch(/newer version/);
  });
});

describe('planImport', () => {
  const data = (): BackupData => ({ exportedAt: 'x', conversations, messages, attachments: [], presets: [] });
  let counter = 0;
  const newId = () => `fresh-${++counter}`;
  const empty: StoredState = {
    conversationIds: new Set(),
    messageIds: new Set(),
    attachmentIds: new Set(),
    presets: [],
    lookalikes: [],
  };

  it('adds everything under its own ids into an empty database, a streaming reply as interrupted', () => {
    const plan = planImport(data(), empty, newId);
    expect(plan).toMatchObject({
      conversations: 2,
      messages: 3,
      skipped: 0,
      renamed: 0,
      conversationIds: ['c1', 'c2'],
    });
    expect(plan.conversationRecords).toEqual(conversations);
    expect(plan.messageRecords.map((m) => m.status)).toEqual(['complete', 'complete', 'interrupted']);
  });

  it('gives fresh ids to records whose ids the database already uses, and follows them in every reference', () => {
    const storedConversation = { ...conversations[0]!, createdAt: 999 };
    const stored: StoredState = {
      ...empty,
      conversationIds: new Set(['c1']),
      messageIds: new Set(['u1', 'a1b']),
      lookalikes: [{ conversation: storedConversation, messages: [{ ...messages[0]!, content: 'something else' }] }],
    };
    const plan = planImport(data(), stored, newId);
    expect(plan.renamed).toBe(3);
    const [c1] = plan.conversationRecords;
    expect(c1?.id).not.toBe('c1');
    const [u1, a1, a1b] = plan.messageRecords;
    expect(u1?.id).not.toBe('u1');
    expect(a1?.id).toBe('a1');
    expect(a1b?.id).not.toBe('a1b');
    expect(plan.messageRecords.every((m) => m.conversationId === c1?.id)).toBe(true);
    expect(a1?.parentId).toBe(u1?.id);
    expect(a1b?.parentId).toBe(u1?.id);
    expect(c1?.activeLeafId).toBe(a1b?.id);
    const ids = [...plan.conversationRecords, ...plan.messageRecords].map((r) => r.id);
    expect(ids.filter((id) => stored.conversationIds.has(id) || stored.messageIds.has(id))).toEqual([]);
  });

  it('skips a conversation already stored with all its messages, even under other ids', () => {
    const renamedEarlier = messages.map((m) => ({ ...m, id: `old-${m.id}`, conversationId: 'old-c1' }));
    const stored: StoredState = {
      ...empty,
      conversationIds: new Set(['old-c1', 'c2']),
      messageIds: new Set(renamedEarlier.map((m) => m.id)),
      lookalikes: [
        { conversation: { ...conversations[0]!, id: 'old-c1', title: 'Renamed since' }, messages: renamedEarlier },
        { conversation: conversations[1]!, messages: [] },
      ],
    };
    expect(planImport(data(), stored, newId)).toMatchObject({ conversations: 0, messages: 0, skipped: 2 });
  });

  it('imports a conversation that has moved on since the backup was made only if the backup holds something new', () => {
    const continued = [...messages, { ...messages[0]!, id: 'u2', parentId: 'a1b', createdAt: 50, content: 'More' }];
    const stored: StoredState = {
      ...empty,
      conversationIds: new Set(['c1']),
      messageIds: new Set(continued.map((m) => m.id)),
      lookalikes: [{ conversation: conversations[0]!, messages: continued }],
    };
    expect(planImport(data(), stored, newId)).toMatchObject({ skipped: 1, conversations: 1, conversationIds: ['c2'] });

    const edited = [{ ...messages[0]!, content: 'Edited in the database' }, ...messages.slice(1)];
    const diverged: StoredState = { ...stored, lookalikes: [{ conversation: conversations[0]!, messages: edited }] };
    expect(planImport(data(), diverged, newId)).toMatchObject({ skipped: 0, conversations: 2 });
  });

  it('compares with the stored conversations that share an id or a creation time', () => {
    const stored = [
      { id: 'c1', title: '', createdAt: 500, updatedAt: 500 },
      { id: 'x', title: '', createdAt: 2, updatedAt: 2 },
      { id: 'y', title: '', createdAt: 3, updatedAt: 3 },
    ];
    expect(conversationsToCompare(data(), stored).map(({ id }) => id)).toEqual(['c1', 'x']);
  });
});

describe('exportConversationMarkdown', () => {
  it('writes the title, then each message under who wrote it', () => {
    const markdown = exportConversationMarkdown(
      { title: 'Trip\nto Lyon' },
      [
        messages[0]!,
        { ...messages[1]!, status: 'stopped' },
        { ...messages[2]!, status: 'error', error: 'Network down.' },
      ],
      new Date(Date.UTC(2025, 4, 1)),
    );
    expect(markdown).toBe(
      [
        '# Trip to Lyon',
        '_Exported from Private Mistral Chat on 2025-05-01._',
        '## You',
        'Where to eat?',
        '## Assistant (mistralai/Mistral-7B-Instruct-v0.3)',
        'A **bouchon**.',
        '_The reply was stopped here._',
        '## Assistant (Mistral-7B-Instruct-v0.3-q4f16_1-MLC)',
        'Half',
        '_Error: Network down._',
      ].join('\n\n') + '\n',
    );
  });
});

describe('file names', () => {
  it('names a backup by date and a conversation by its title', () => {
    expect(backupFileName(new Date(Date.UTC(2025, 4, 1, 23)))).toBe('private-mistral-chat-2025-05-01.json');
    expect(markdownFileName('Crème brûlée: a recipe?!')).toBe('creme-brulee-a-recipe.md');
    expect(markdownFileName('../../etc/passwd')).toBe('etc-passwd.md');
    expect(markdownFileName('   ')).toBe('conversation.md');
  });
});

describe('importBackupFile', () => {
  const json = JSON.stringify(createBackup({ conversations, messages }));
  const summary = {
    conversations: 2,
    messages: 3,
    attachments: 0,
    presets: 0,
    skipped: 0,
    renamed: 0,
    conversationIds: ['c1', 'c2'],
  };

  it('imports a file that checks out, and says what it added', async () => {
    const repository = { importBackup: vi.fn(async () => summary) };
    expect(await importBackupFile(repository, new Blob([json]))).toEqual({ ok: true, summary });
    expect(repository.importBackup).toHaveBeenCalledWith({
      exportedAt: expect.any(String),
      conversations,
      messages,
      attachments: [],
      presets: [],
    });
    expect(importSummaryMessage(summary)).toBe('Imported 2 conversations (3 messages).');
    expect(importSummaryMessage({ ...summary, conversations: 1, messages: 1, skipped: 1 })).toBe(
      'Imported 1 conversation (1 message). 1 conversation was already here and was left as it is.',
    );
    expect(importSummaryMessage({ ...summary, conversations: 0, messages: 0, skipped: 2 })).toBe(
      'Nothing new to import. 2 conversations were already here and were left as they are.',
    );
  });

  it('writes nothing for a file that is too large, unreadable, or not a good backup', async () => {
    const repository = { importBackup: vi.fn(async () => summary) };
    const huge = { size: MAX_BACKUP_BYTES + 1, text: () => Promise.reject(new Error('not read')) };
    expect(await importBackupFile(repository, huge)).toEqual({ ok: false, message: BACKUP_MESSAGES.tooLarge });
    const unreadable = { size: 10, text: () => Promise.reject(new DOMException('gone', 'NotReadableError')) };
    expect(await importBackupFile(repository, unreadable)).toEqual({ ok: false, message: UNREADABLE_FILE_MESSAGE });
    expect(await importBackupFile(repository, new Blob(['{"not":"ours"}']))).toEqual({
      ok: false,
      message: BACKUP_MESSAGES.foreign,
    });
    expect(repository.importBackup).not.toHaveBeenCalled();
  });

  it("turns the repository's failure into its message", async () => {
    const full = new StorageError('quota', STORAGE_MESSAGES.importQuota);
    const failing = { importBackup: () => Promise.reject(full) };
    expect(await importBackupFile(failing, new Blob([json]))).toEqual({
      ok: false,
      message: STORAGE_MESSAGES.importQuota,
    });
    const odd = { importBackup: () => Promise.reject(new Error('odd')) };
    expect(await importBackupFile(odd, new Blob([json]))).toEqual({ ok: false, message: STORAGE_MESSAGES.unknown });
  });
});
