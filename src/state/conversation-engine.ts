/**
 * Where a conversation's replies went: each hosted reply records its provider and Endpoint URL next to its engine
 * and model, so that opening a conversation can send the next reply where the last one went. Keys are never part
 * of it: they stay in Settings, by origin, and the restored address finds its own.
 */
import { modelChange } from '../domain/providers.js';
import { settingsChanges, type Settings, type SettingsChanges } from '../domain/settings.js';
import type { MessageRecord } from '../domain/records.js';

/** The fields a new reply records about who answers it, from the settings it is asked with. */
export function answeredBy(
  settings: Settings,
  model: string,
): Pick<MessageRecord, 'engine' | 'model' | 'provider' | 'endpointUrl'> {
  if (settings.engine !== 'hosted') return { engine: settings.engine, model };
  const endpointUrl = settings.endpointUrl.trim();
  return { engine: 'hosted', model, provider: settings.provider, ...(endpointUrl ? { endpointUrl } : {}) };
}

/**
 * The settings changes that send the next reply where the last reply of `messages` went; null when they already
 * do, or when that reply recorded no provider (it came from a backup file, or from a version before providers: an
 * imported file must not choose where this browser sends a conversation).
 */
export function restoreChanges(settings: Settings, messages: readonly MessageRecord[]): SettingsChanges | null {
  const last = messages.findLast((message) => message.role === 'assistant' && message.engine !== undefined);
  if (!last) return null;
  if (last.engine === 'local') return settingsChanges(settings, { engine: 'local' });
  if (last.provider === undefined || last.model === undefined) return null;
  const endpointUrl = last.endpointUrl ?? '';
  return settingsChanges(settings, {
    engine: 'hosted',
    provider: last.provider,
    endpointUrl,
    ...modelChange(endpointUrl, last.model),
  });
}
