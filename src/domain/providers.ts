/**
 * The hosted providers offered in Settings: where each one's OpenAI-compatible API lives, which secret it takes, and
 * what its server needs before a browser page may call it (CORS). Pure data and pure functions: Settings renders
 * them, the engine resolves its target and its credential with them.
 */

export type ProviderId =
  'huggingface' | 'hf-endpoint' | 'mistral' | 'ollama' | 'lmstudio' | 'llamacpp' | 'vllm' | 'tgi' | 'custom';

/**
 * - `hf-token`: the Hugging Face token (the router, an Inference Endpoint);
 * - `required`: the provider's own key, typed in "API key";
 * - `optional`: a key only if the server was started with one.
 */
export type ProviderKey = 'hf-token' | 'required' | 'optional';

export interface ProviderPreset {
  id: ProviderId;
  /** The option's text in the "Provider" select. */
  label: string;
  /** The base URL the preset fills into Endpoint URL; '' for the router, or for a server whose address is typed. */
  url: string;
  /** Whether the user must type the server's address (vLLM, TGI, an Inference Endpoint, Custom). */
  typedUrl: boolean;
  key: ProviderKey;
}

export const PROVIDER_PRESETS: readonly ProviderPreset[] = [
  { id: 'huggingface', label: 'Hugging Face (router)', url: '', typedUrl: false, key: 'hf-token' },
  { id: 'hf-endpoint', label: 'Hugging Face Inference Endpoint', url: '', typedUrl: true, key: 'hf-token' },
  { id: 'mistral', label: 'Mistral AI', url: 'https://api.mistral.ai/v1', typedUrl: false, key: 'required' },
  { id: 'ollama', label: 'Ollama', url: 'http://localhost:11434/v1', typedUrl: false, key: 'optional' },
  { id: 'lmstudio', label: 'LM Studio', url: 'http://localhost:1234/v1', typedUrl: false, key: 'optional' },
  {
    id: 'llamacpp',
    label: 'llama.cpp (llama-server)',
    url: 'http://localhost:8080/v1',
    typedUrl: false,
    key: 'optional',
  },
  { id: 'vllm', label: 'vLLM', url: '', typedUrl: true, key: 'optional' },
  { id: 'tgi', label: 'Text Generation Inference (TGI)', url: '', typedUrl: true, key: 'optional' },
  { id: 'custom', label: 'Custom', url: '', typedUrl: true, key: 'optional' },
];

const PRESETS_BY_ID = new Map(PROVIDER_PRESETS.map((preset) => [preset.id, preset]));
const ROUTER_PRESET: ProviderPreset = PROVIDER_PRESETS[0] as ProviderPreset;

export function isProviderId(value: unknown): value is ProviderId {
  return typeof value === 'string' && PRESETS_BY_ID.has(value as ProviderId);
}

export function providerPreset(id: ProviderId): ProviderPreset {
  return PRESETS_BY_ID.get(id) ?? ROUTER_PRESET;
}

/**
 * Scheme, host and port of what the user typed as an endpoint: the key that a secret and a chosen model are kept
 * under. Undefined for anything that is not an http(s) URL.
 */
export function endpointOrigin(endpointUrl: string): string | undefined {
  const text = endpointUrl.trim();
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
}

/**
 * Hosts that may receive the Hugging Face token: Hugging Face itself (the router, the Hub) and its dedicated
 * Inference Endpoints. Not Spaces (`*.hf.space`): anyone can run one, so a Space URL must not harvest the token.
 */
export function isHuggingFaceHost(url: URL): boolean {
  if (url.protocol !== 'https:') return false;
  const host = url.hostname.toLowerCase();
  return host === 'huggingface.co' || host.endsWith('.huggingface.co') || host.endsWith('.endpoints.huggingface.cloud');
}

function isInferenceEndpoint(url: URL): boolean {
  return url.protocol === 'https:' && url.hostname.toLowerCase().endsWith('.endpoints.huggingface.cloud');
}

/**
 * The provider an Endpoint URL typed by hand belongs to: empty is the router; a preset's own address (same origin)
 * is that preset; an Inference Endpoint's host is one; anything else keeps a typed-URL provider the user chose
 * (vLLM, TGI, Custom) or becomes Custom.
 */
export function providerForUrl(endpointUrl: string, current: ProviderId): ProviderId {
  const text = endpointUrl.trim();
  if (text === '') return 'huggingface';
  const origin = endpointOrigin(text);
  if (origin === undefined) return providerPreset(current).typedUrl ? current : 'custom';
  const url = new URL(text);
  if (isInferenceEndpoint(url)) return 'hf-endpoint';
  const fixed = PROVIDER_PRESETS.find((preset) => preset.url !== '' && new URL(preset.url).origin === origin);
  if (fixed) return fixed.id;
  return providerPreset(current).typedUrl && current !== 'hf-endpoint' ? current : 'custom';
}

export interface CredentialInput {
  hfToken: string;
  /** Keys typed in "API key", each under the endpoint origin it was typed for. */
  endpointKeys: Readonly<Record<string, string>>;
}

/**
 * The one secret a request to `url` may carry: the key typed for exactly that origin, else the Hugging Face token
 * on Hugging Face's own hosts, else none. A key never follows an edited URL to another origin, and the token never
 * leaves Hugging Face.
 */
export function credentialFor(url: URL, input: CredentialInput): string | undefined {
  const typed = input.endpointKeys[url.origin]?.trim() ?? '';
  if (typed !== '') return typed;
  const token = input.hfToken.trim();
  return isHuggingFaceHost(url) && token !== '' ? token : undefined;
}

export interface ModelChoice {
  hfModel: string;
  endpointUrl: string;
  endpointModels: Readonly<Record<string, string>>;
}

/** The model asked for: the one chosen for this endpoint's origin, else the Hugging Face model. */
export function chosenModel(choice: ModelChoice): string {
  const origin = endpointOrigin(choice.endpointUrl);
  const forEndpoint = origin === undefined ? undefined : choice.endpointModels[origin];
  return (forEndpoint ?? choice.hfModel).trim();
}

/** The settings change that makes `model` the one asked for: the endpoint's own choice, or the Hugging Face model. */
export function modelChange(
  endpointUrl: string,
  model: string,
): { hfModel: string } | { endpointModels: Record<string, string> } {
  const origin = endpointUrl.trim() === '' ? undefined : endpointOrigin(endpointUrl);
  return origin === undefined ? { hfModel: model } : { endpointModels: { [origin]: model } };
}

/** A model id and its router suffix: `org/name:together` → `org/name` and `together` (also `fastest`, `cheapest`). */
export function splitSuffix(model: string): { id: string; suffix?: string } {
  const colon = model.indexOf(':');
  return colon === -1 ? { id: model } : { id: model.slice(0, colon), suffix: model.slice(colon + 1) };
}
