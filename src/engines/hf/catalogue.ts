import { orderModels, type CatalogueModel, type ProviderOffer } from '../../domain/catalogue.js';

export class CatalogueError extends Error {
  override name = 'CatalogueError';
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

function price(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function flag(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

function offerOf(entry: unknown): ProviderOffer | undefined {
  if (!isRecord(entry)) return undefined;
  const provider = nonEmptyString(entry.provider);
  if (provider === undefined) return undefined;
  const offer: ProviderOffer = { provider, status: nonEmptyString(entry.status)?.toLowerCase() ?? 'unknown' };
  const contextLength = positiveInteger(entry.context_length);
  if (contextLength !== undefined) offer.contextLength = contextLength;
  if (isRecord(entry.pricing)) {
    const input = price(entry.pricing.input);
    const output = price(entry.pricing.output);
    if (input !== undefined && output !== undefined) offer.pricing = { input, output };
  }
  const supportsTools = flag(entry.supports_tools);
  if (supportsTools !== undefined) offer.supportsTools = supportsTools;
  const supportsStructuredOutput = flag(entry.supports_structured_output);
  if (supportsStructuredOutput !== undefined) offer.supportsStructuredOutput = supportsStructuredOutput;
  return offer;
}

function modelOf(id: string, providers: readonly ProviderOffer[]): CatalogueModel {
  return { id, providers, live: providers.some((offer) => offer.status === 'live') };
}

/**
 * Keeps the first entry per id and refuses an answer with nothing usable in it: an empty or unreadable list would
 * otherwise replace a good cached one and mark every model "not served".
 */
function collect(
  entries: readonly unknown[],
  read: (entry: unknown) => CatalogueModel | undefined,
  who: string,
): CatalogueModel[] {
  const seen = new Set<string>();
  const models: CatalogueModel[] = [];
  for (const entry of entries) {
    const model = read(entry);
    if (model === undefined || seen.has(model.id)) continue;
    seen.add(model.id);
    models.push(model);
  }
  if (models.length === 0) {
    throw new CatalogueError(
      entries.length === 0
        ? `${who} listed no models at all.`
        : `${who} listed ${entries.length.toLocaleString('en')} ${entries.length === 1 ? 'entry' : 'entries'}, but none names a chat model in a form we can read.`,
    );
  }
  return models;
}

/** `GET https://router.huggingface.co/v1/models`: `{ data: [{ id, providers: [{ provider, status, … }] }] }`. */
export function parseRouterModels(json: unknown): CatalogueModel[] {
  if (!isRecord(json) || !Array.isArray(json.data)) {
    throw new CatalogueError('The Hugging Face model list has changed its format: it has no “data” list of models.');
  }
  return orderModels(
    collect(
      json.data,
      (entry) => {
        if (!isRecord(entry)) return undefined;
        const id = nonEmptyString(entry.id);
        if (id === undefined) return undefined;
        const providers = Array.isArray(entry.providers) ? entry.providers.map(offerOf) : [];
        return modelOf(
          id,
          providers.filter((offer) => offer !== undefined),
        );
      },
      'The Hugging Face model list',
    ),
  );
}

/** Only these Hub mappings serve chat completions through the router. */
const CHAT_TASKS = new Set(['conversational']);

function hubOfferOf(provider: unknown, mapping: unknown): ProviderOffer | undefined {
  if (!isRecord(mapping)) return undefined;
  const name = nonEmptyString(provider);
  const task = nonEmptyString(mapping.task);
  if (name === undefined || task === undefined || !CHAT_TASKS.has(task)) return undefined;
  return { provider: name, status: nonEmptyString(mapping.status)?.toLowerCase() ?? 'unknown' };
}

/** A Hub model's `inferenceProviderMapping`: an array of `{ provider, status, task }`, or (older) an object by provider. */
function hubOffers(mapping: unknown): ProviderOffer[] {
  const offers = Array.isArray(mapping)
    ? mapping.map((entry) => hubOfferOf(isRecord(entry) ? entry.provider : undefined, entry))
    : isRecord(mapping)
      ? Object.entries(mapping).map(([provider, entry]) => hubOfferOf(provider, entry))
      : [];
  return offers.filter((offer) => offer !== undefined);
}

/** Hub `GET /api/models?inference_provider=all&pipeline_tag=text-generation&expand[]=inferenceProviderMapping`. */
export function parseHubModels(json: unknown): CatalogueModel[] {
  if (!Array.isArray(json)) {
    throw new CatalogueError('The Hugging Face Hub answered with something other than a list of models.');
  }
  return orderModels(
    collect(
      json,
      (entry) => {
        if (!isRecord(entry)) return undefined;
        const id = nonEmptyString(entry.id);
        const offers = hubOffers(entry.inferenceProviderMapping);
        return id === undefined || offers.length === 0 ? undefined : modelOf(id, offers);
      },
      'The Hugging Face Hub',
    ),
  );
}

/**
 * OpenAI-style `GET {endpoint}/models`: `{ data: [{ id }] }` (vLLM, TGI, llama.cpp, Ollama, LM Studio, Mistral AI).
 * The server itself answers for every model it lists, so each entry is live with no provider of its own.
 */
export function parseEndpointModels(json: unknown): CatalogueModel[] {
  if (!isRecord(json) || !Array.isArray(json.data)) {
    throw new CatalogueError('The server’s model list is not in the OpenAI format: it has no “data” list of models.');
  }
  return orderModels(
    collect(
      json.data,
      (entry) => {
        const id = isRecord(entry) ? nonEmptyString(entry.id) : undefined;
        return id === undefined ? undefined : { id, providers: [], live: true };
      },
      'The server',
    ),
  );
}
