import { DEFAULT_HF_MODEL } from './settings.js';

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

/** Persists catalogues across reloads; implemented over IndexedDB in src/storage/catalogue-cache.ts. */
export interface CatalogueCache {
  read(key: string): Promise<Catalogue | undefined>;
  write(key: string, catalogue: Catalogue): Promise<void>;
}
