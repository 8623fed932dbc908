import { applySettingsChanges, mergeSettings, type Settings, type SettingsChanges } from '../domain/settings.js';
import { inTransaction } from './idb-requests.js';
import { SETTINGS_KEY, type ChatDatabase } from './schema.js';

/** The stored settings over the defaults (a field an older version never wrote gets its default). */
export async function readSettings(db: ChatDatabase): Promise<Settings> {
  return mergeSettings(await db.get('settings', SETTINGS_KEY));
}

/**
 * Applies `changes` to the stored settings, read and written in one transaction: another tab's change to other
 * fields, in between, stays.
 */
export function writeSettingsChanges(db: ChatDatabase, changes: SettingsChanges): Promise<Settings> {
  const tx = db.transaction('settings', 'readwrite');
  return inTransaction(tx, async () => {
    const next = applySettingsChanges(mergeSettings(await tx.store.get(SETTINGS_KEY)), changes);
    await tx.store.put(next, SETTINGS_KEY);
    return next;
  });
}
