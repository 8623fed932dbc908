import { DEFAULT_HF_MODEL } from '../../state/types.js';

/** One Inference Provider's offer for a model, as the catalogue states it. */
export interface ProviderOffer {
  provider: string;
  /** `live`, `staging`, `error`, … exactly as the server says; only `live` answers requests. */
  status: string;
  contextLength?: number;
  /** USD per million tokens. */
  pricing?: { input: number; output: number };
  supportsTools?: boolean;
  supportsStructuredOutput?: boolean;
}

export interface CatalogueModel {
  id: string;
  providers: readonly ProviderOffer[];
  /** At least one provider is live (an endpoint's /models entry counts as live). */
  live: boolean;
}

export interface Catalogue {
  source: 'router' | 'hub' | 'endpoint';
  /** The origin it came from (https://router.huggingface.co, https://huggingface.co, or an endpoint's origin). */
  origin: string;
  /** Milliseconds since the epoch. */
  fetchedAt: number;
  /** Already in picker order ({@link orderModels}). */
  models: readonly CatalogueModel[];
}

/** A catalogue answer we cannot use. The message is a sentence for the user saying what was wrong with it. */
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

const MISTRAL_FAMILY = /mistral|ministral|magistral|devstral|codestral/;
/** The families the Gradio/Panel demos this app replaces used, in the order the picker shows them. */
const DEMO_FAMILIES = [/mixtral/, /llama/, /gemma/, /falcon/, /qwen/];
const OTHER_FAMILY = DEMO_FAMILIES.length + 1;

function familyRank(id: string): number {
  const lower = id.toLowerCase();
  if (lower.startsWith('mistralai/') || MISTRAL_FAMILY.test(lower)) return 0;
  const demo = DEMO_FAMILIES.findIndex((family) => family.test(lower));
  return demo === -1 ? OTHER_FAMILY : demo + 1;
}

function compareIds(a: string, b: string): number {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * Picker order: the Mistral family, then Mixtral, Llama, Gemma, Falcon and Qwen, then the rest; within a family live
 * models before the others, then by id (case-insensitive), so the order is stable from one fetch to the next.
 */
export function orderModels(models: readonly CatalogueModel[]): CatalogueModel[] {
  return models
    .map((model) => ({ model, family: familyRank(model.id) }))
    .sort(
      (a, b) =>
        a.family - b.family || Number(b.model.live) - Number(a.model.live) || compareIds(a.model.id, b.model.id),
    )
    .map(({ model }) => model);
}

/** `org/name:provider`, `org/name:fastest`, `org/name:cheapest` or `org/name`; an empty suffix is dropped. */
export function splitModelId(typed: string): { id: string; suffix?: string } {
  const text = typed.trim();
  const colon = text.lastIndexOf(':');
  if (colon === -1) return { id: text };
  const id = text.slice(0, colon).trim();
  const suffix = text
    .slice(colon + 1)
    .trim()
    .toLowerCase();
  return suffix === '' ? { id } : { id, suffix };
}

export type ModelResolution =
  /** No catalogue: never fetched, or the look-up failed with nothing cached. */
  | { kind: 'unknown' }
  /** `provider`: who will answer, when the catalogue lets us know. */
  | { kind: 'served'; model: CatalogueModel; provider?: ProviderOffer }
  /** `suggestion`: {@link closestLiveModel}. */
  | { kind: 'not-served'; id: string; suggestion?: CatalogueModel };

function findModel(models: readonly CatalogueModel[], id: string): CatalogueModel | undefined {
  const lower = id.toLowerCase();
  return models.find((model) => model.id === id) ?? models.find((model) => model.id.toLowerCase() === lower);
}

/** The router's `:cheapest` takes the lowest price per output token; unknowable when a live offer has no price. */
function cheapestOffer(offers: readonly ProviderOffer[]): ProviderOffer | undefined {
  if (offers.some((offer) => offer.pricing === undefined)) return undefined;
  return offers.reduce<ProviderOffer | undefined>((best, offer) => {
    if (best?.pricing === undefined || offer.pricing === undefined) return best ?? offer;
    const byOutput = offer.pricing.output - best.pricing.output;
    return byOutput < 0 || (byOutput === 0 && offer.pricing.input < best.pricing.input) ? offer : best;
  }, undefined);
}

/**
 * Whether the model the user typed (empty: the preferred default) will be answered, and by whom. Without a suffix,
 * or with `:fastest`, the router picks among the live providers by the user's own preferences and live throughput,
 * so a provider is named only when one alone is live.
 */
export function resolveModel(catalogue: Catalogue | undefined, typed: string): ModelResolution {
  if (catalogue === undefined) return { kind: 'unknown' };
  const text = typed.trim() === '' ? DEFAULT_HF_MODEL : typed.trim();
  // An endpoint's ids are its own and may hold a colon (Ollama's "mistral:7b"); only the router takes suffixes.
  const { id: typedId, suffix } =
    catalogue.source === 'endpoint' ? { id: text, suffix: undefined } : splitModelId(text);
  const model = findModel(catalogue.models, typedId);
  const notServed = (): ModelResolution => {
    const suggestion = closestLiveModel(catalogue.models, model?.id ?? typedId);
    return suggestion === undefined
      ? { kind: 'not-served', id: typedId }
      : { kind: 'not-served', id: typedId, suggestion };
  };
  if (model === undefined || !model.live) return notServed();

  const live = model.providers.filter((offer) => offer.status === 'live');
  if (suffix === undefined || suffix === 'fastest') {
    return live.length === 1 ? { kind: 'served', model, provider: live[0] } : { kind: 'served', model };
  }
  if (suffix === 'cheapest') {
    const provider = cheapestOffer(live);
    return provider === undefined ? { kind: 'served', model } : { kind: 'served', model, provider };
  }
  const provider = live.find((offer) => offer.provider.toLowerCase() === suffix);
  return provider === undefined ? notServed() : { kind: 'served', model, provider };
}

/** Billions of parameters named in an id ("Llama-3.1-8B", "gemma-2-9b-it"); not the expert size of "8x7B". */
function parameterBillions(id: string): number | undefined {
  const match = /(?:^|[-_/.])(\d+(?:\.\d+)?)b(?=$|[-_.])/i.exec(id);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

const INSTRUCT = /instruct|chat|[-_]it(?:$|[-_.])/i;
const CODE_MODEL = /devstral|codestral|coder|code/i;
const PREFERRED_BILLIONS = 7.25;
const UNKNOWN_SIZE_DISTANCE = 100;

/** Smaller is closer to Mistral-7B-Instruct as a general chat model: instruct-tuned, not code-only, about 7B. */
function distanceFromPreferred(model: CatalogueModel): number {
  const billions = parameterBillions(model.id);
  const size = billions === undefined ? UNKNOWN_SIZE_DISTANCE : Math.abs(billions - PREFERRED_BILLIONS);
  return (CODE_MODEL.test(model.id) ? 2000 : 0) + (INSTRUCT.test(model.id) ? 0 : 1000) + size;
}

function isOpen7to8BInstruct(model: CatalogueModel): boolean {
  const billions = parameterBillions(model.id);
  return billions !== undefined && billions >= 7 && billions <= 8 && INSTRUCT.test(model.id);
}

/**
 * The model to propose when `preferredId` is not served: `preferredId` itself if live (e.g. the user named a provider
 * that does not serve it), else the live Mistral-family model nearest to a 7B instruct model, else a live open 7–8B
 * instruct model, else the first live model, all in the order given (the picker's).
 */
export function closestLiveModel(models: readonly CatalogueModel[], preferredId: string): CatalogueModel | undefined {
  const live = models.filter((model) => model.live);
  const preferred = findModel(live, preferredId) ?? findModel(live, splitModelId(preferredId).id);
  if (preferred !== undefined) return preferred;
  const mistral = live.filter((model) => familyRank(model.id) === 0);
  if (mistral.length > 0) {
    return mistral.reduce((best, model) => (distanceFromPreferred(model) < distanceFromPreferred(best) ? model : best));
  }
  return live.find(isOpen7to8BInstruct) ?? live[0];
}
