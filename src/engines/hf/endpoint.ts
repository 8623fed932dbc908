import { DEFAULT_HF_MODEL } from '../../domain/settings.js';
import { EngineError } from '../types.js';
import { credentialFor, isHuggingFaceHost, providerPreset, type ProviderId } from '../../domain/providers.js';

/** Where the Hugging Face router takes OpenAI-style chat completions (provider policy "auto"). */
export const ROUTER_CHAT_URL = 'https://router.huggingface.co/v1/chat/completions';

export const TOKENS_PAGE = 'https://huggingface.co/settings/tokens';
const TOKEN_ADVICE = `Create one at ${TOKENS_PAGE} with the “Make calls to Inference Providers” permission.`;

const CHAT_COMPLETIONS_PATH = '/chat/completions';

export interface HostedSettings {
  hfToken: string;
  /** Empty: the default model. A `:provider` suffix passes through to the router untouched. */
  model: string;
  /** Empty: the Hugging Face router. Otherwise the base URL of an OpenAI-compatible server. */
  endpointUrl: string;
  /** The preset chosen; one whose server address is typed (vLLM, TGI, …) cannot fall back to the router. */
  provider: ProviderId;
  /** Keys by the origin they were typed for: a request carries only its own origin's key. */
  endpointKeys: Readonly<Record<string, string>>;
}

/** What one hosted engine talks to, settled before any request is made. */
export interface HostedTarget {
  kind: 'router' | 'custom';
  /** The exact URL the chat request is posted to. */
  url: string;
  /** Scheme, host and port of `url`, to name the server in messages. */
  origin: string;
  model: string;
  /** The Authorization bearer for this target, if any. Never logged, never shown. */
  credential: string | undefined;
  /** Whether `url` is served by Hugging Face, so the Hugging Face token may go there. */
  huggingFaceHost: boolean;
}

function invalidEndpoint(detail: string): EngineError {
  return new EngineError(
    'invalid-endpoint',
    `${detail} Enter the server's base address, e.g. http://localhost:8080 or https://example.com/v1, or leave Endpoint URL empty to use Hugging Face.`,
  );
}

/**
 * Turns what a user types as an endpoint into the chat completions URL. `http://host:port`, `…/v1` and
 * `…/v1/chat/completions` (with or without a trailing slash) all end at `…/v1/chat/completions`, which is also
 * what @huggingface/inference derives from an `endpointUrl`; a query or fragment is dropped, as these servers take
 * none.
 */
export function normalizeEndpointUrl(input: string): URL {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidEndpoint('The Endpoint URL is not a valid web address.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidEndpoint('The Endpoint URL must start with http:// or https://.');
  }
  if (url.username !== '' || url.password !== '') {
    throw invalidEndpoint('The Endpoint URL must not contain a user name or password; put a key in Settings instead.');
  }
  const path = url.pathname.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  let chatPath: string;
  if (path.endsWith(CHAT_COMPLETIONS_PATH)) chatPath = path;
  else if (path.endsWith('/v1')) chatPath = `${path}${CHAT_COMPLETIONS_PATH}`;
  else chatPath = `${path}/v1${CHAT_COMPLETIONS_PATH}`;
  return new URL(`${url.origin}${chatPath}`);
}

/**
 * Validates the settings and settles the target, throwing an {@link EngineError} for anything that would only fail
 * later as a request: the router needs an `hf_` token; a custom endpoint needs an http(s) URL.
 */
export function resolveHostedTarget(settings: HostedSettings): HostedTarget {
  const model = settings.model.trim() || DEFAULT_HF_MODEL;
  const hfToken = settings.hfToken.trim();
  if (/^(https?:|\/)/i.test(model)) {
    throw new EngineError(
      'bad-request',
      `The Hugging Face model must be a model id such as ${DEFAULT_HF_MODEL}. Put a server address in Endpoint URL instead.`,
    );
  }

  if (settings.endpointUrl.trim() === '') {
    const preset = providerPreset(settings.provider);
    if (preset.typedUrl) {
      throw new EngineError(
        'invalid-endpoint',
        `Enter the address of your ${preset.label} server in Endpoint URL, or choose Hugging Face (router) as the provider.`,
      );
    }
    if (hfToken === '') {
      throw new EngineError(
        'token-missing',
        `The Hugging Face API needs your access token in Settings. ${TOKEN_ADVICE}`,
      );
    }
    if (!hfToken.startsWith('hf_')) {
      throw new EngineError('token-format', `Hugging Face tokens start with “hf_”. ${TOKEN_ADVICE}`);
    }
    return {
      kind: 'router',
      url: ROUTER_CHAT_URL,
      origin: new URL(ROUTER_CHAT_URL).origin,
      model,
      credential: hfToken,
      huggingFaceHost: true,
    };
  }

  const url = normalizeEndpointUrl(settings.endpointUrl);
  const huggingFaceHost = isHuggingFaceHost(url);
  const credential = credentialFor(url, settings);
  const preset = providerPreset(settings.provider);
  if (credential === undefined && preset.key === 'required') {
    throw new EngineError('token-missing', `${preset.label} needs its API key: enter it in Settings under API key.`);
  }
  return { kind: 'custom', url: url.href, origin: url.origin, model, credential, huggingFaceHost };
}
