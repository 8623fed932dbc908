import { describe, expect, it } from 'vitest';
import { BUILT_IN_PRESETS } from '../../../src/domain/presets.js';
import { MemoryRepository } from '../../../src/storage/memory-repository.js';
import { PRESET_MESSAGES, PresetError } from '../../../src/storage/presets.js';
import type { ChatRepository } from '../../../src/storage/types.js';
import { useTestRepositories, userPreset } from './harness.js';

const { newDatabaseName, open } = useTestRepositories();

const implementations: [string, () => Promise<ChatRepository>][] = [
  ['IndexedDB', () => open()],
  ['memory', async () => new MemoryRepository()],
];

describe.each(implementations)('presets in %s', (_name, create) => {
  it('lists the built-ins first, in their order, then the user’s by name', async () => {
    const repository = await create();
    expect(await repository.listPresets()).toEqual(BUILT_IN_PRESETS);
    await repository.savePreset(userPreset('p2', 'zebra'));
    await repository.savePreset(userPreset('p1', 'Apple'));
    expect((await repository.listPresets()).map((p) => p.name)).toEqual([
      'Demo defaults',
      'Precise',
      'Creative',
      'Apple',
      'zebra',
    ]);
  });

  it('creates, renames and updates a preset under the same id, keeping only a preset’s own fields', async () => {
    const repository = await create();
    const padded = { ...userPreset('p1', 'Tutor'), name: '  Tutor  ', hfToken: 'hf_secret' };
    const saved = await repository.savePreset(padded);
    expect(saved).toEqual(userPreset('p1', 'Tutor'));
    await repository.savePreset({ ...saved, name: 'Patient tutor', model: 'mistralai/Mistral-Small', updatedAt: 2 });
    const listed = (await repository.listPresets()).filter((p) => !p.builtIn);
    expect(listed).toEqual([{ ...saved, name: 'Patient tutor', model: 'mistralai/Mistral-Small', updatedAt: 2 }]);
    expect(JSON.stringify(listed)).not.toContain('hf_secret');
  });

  it('deletes a user preset and gives it back; a built-in cannot be deleted or overwritten', async () => {
    const repository = await create();
    await repository.savePreset(userPreset('p1', 'Tutor'));
    expect(await repository.deletePreset('p1')).toEqual(userPreset('p1', 'Tutor'));
    expect(await repository.deletePreset('p1')).toBeUndefined();

    await expect(repository.deletePreset('builtin:demo')).rejects.toThrow(PresetError);
    await expect(repository.deletePreset('builtin:demo')).rejects.toMatchObject({
      userMessage: PRESET_MESSAGES.builtInDelete,
    });
    await expect(repository.savePreset({ ...BUILT_IN_PRESETS[0]!, name: 'Mine now' })).rejects.toMatchObject({
      userMessage: PRESET_MESSAGES.builtInSave,
    });
    expect(await repository.listPresets()).toEqual(BUILT_IN_PRESETS);
  });

  it('refuses an empty name or sampling out of range, with a message that says which', async () => {
    const repository = await create();
    await expect(repository.savePreset(userPreset('p1', '   '))).rejects.toMatchObject({
      userMessage: PRESET_MESSAGES.noName,
    });
    const hot = userPreset('p1', 'Hot', { sampling: { ...userPreset('x', 'x').sampling, temperature: 5 } });
    await expect(repository.savePreset(hot)).rejects.toMatchObject({ userMessage: PRESET_MESSAGES.badSampling });
    expect((await repository.listPresets()).filter((p) => !p.builtIn)).toEqual([]);
  });
});

describe('presets in IndexedDB', () => {
  it('keeps the user’s presets across reopening, and never stores a built-in', async () => {
    const name = newDatabaseName();
    const first = await open(name);
    await first.savePreset(userPreset('p1', 'Tutor'));
    first.close();
    const reopened = await open(name);
    expect((await reopened.listPresets()).map((p) => p.id)).toEqual([...BUILT_IN_PRESETS.map((p) => p.id), 'p1']);
    expect((await reopened.readAllConversations()).presets).toEqual([userPreset('p1', 'Tutor')]);
  });
});
