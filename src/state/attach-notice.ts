/** What the attach button says about where a file's text goes, which depends on the engine chosen. */
import { endpointOrigin, providerPreset } from '../domain/providers.js';
import type { Settings } from '../domain/settings.js';

export const LOCAL_ATTACH_NOTICE = 'Files stay on this device.';

/**
 * Locally nothing leaves the device. Hosted, the passages sent go to the provider: named "Hugging Face" for the
 * router (an empty Endpoint URL), else by the endpoint's host, which is where they really go whatever preset was
 * picked (a typed URL that is not one yet falls back to the preset's name).
 */
export function attachNotice(settings: Pick<Settings, 'engine' | 'endpointUrl' | 'provider'>): string {
  if (settings.engine === 'local') return LOCAL_ATTACH_NOTICE;
  return `Passages you send go to ${hostedRecipient(settings)}.`;
}

function hostedRecipient({ endpointUrl, provider }: Pick<Settings, 'endpointUrl' | 'provider'>): string {
  if (endpointUrl.trim() === '') return 'Hugging Face';
  const origin = endpointOrigin(endpointUrl);
  return origin === undefined ? providerPreset(provider).label : new URL(origin).host;
}
