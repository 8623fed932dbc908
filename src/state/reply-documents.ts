/**
 * The files a reply's model sees. Every attachment on the user messages of the branch being answered takes part
 * (a file sent three questions ago is still what the user asks about); the block goes into the question's user
 * turn, and earlier turns stay as they were written. A file goes whole when it fits the context budget beside the
 * history, the question and the reply's room, else as its passages most relevant to the question (ranked in the
 * search worker). What was sent becomes the reply's `sources`.
 */
import type { AttachmentRecord, ReplySource } from '../domain/attachments.js';
import type { CatalogueModel } from '../domain/catalogue.js';
import { chosenModel, splitSuffix } from '../domain/providers.js';
import type { MessageRecord } from '../domain/records.js';
import type { Settings } from '../domain/settings.js';
import {
  fitDocuments,
  LOCAL_CONTEXT_TOKENS,
  userTurnWithDocuments,
  type AttachmentForPrompt,
} from '../documents/budget.js';
import type { RankedPassage } from '../documents/passage-search.js';
import { estimateTokens } from '../documents/token-estimate.js';
import type { ChatTurn } from '../engines/types.js';
import type { ChatRepository } from '../storage/types.js';
import type { AttachmentPassages } from './attachment-passages.js';

/** A hosted model whose catalogue entry gives no context length: small enough for any model served today. */
export const HOSTED_FALLBACK_CONTEXT_TOKENS = 8_192;
/** Chat-template tokens around each turn ("[INST]", "[/INST]", "</s>"), as the local engine counts them. */
const TOKENS_PER_TURN = 8;

/**
 * The context window the documents are fitted to: Mistral 7B's in WebLLM locally; hosted, the catalogue's context
 * length for the model chosen (for the provider its suffix names, else the smallest any live provider offers, as the
 * router may pick any of them), or the fallback when the catalogue does not say.
 */
export function contextTokensFor(settings: Settings, models: readonly CatalogueModel[]): number {
  if (settings.engine === 'local') return LOCAL_CONTEXT_TOKENS;
  const { id, suffix } = splitSuffix(chosenModel(settings));
  const offers = models.find((model) => model.id === id)?.providers ?? [];
  const named = offers.find((offer) => offer.provider === suffix && offer.contextLength !== undefined);
  const lengths = (named ? [named] : offers.filter((offer) => offer.status === 'live'))
    .map((offer) => offer.contextLength)
    .filter((length): length is number => length !== undefined && length > 0);
  return lengths.length > 0 ? Math.min(...lengths) : HOSTED_FALLBACK_CONTEXT_TOKENS;
}

/** The ids of the files sent on a branch's user messages, oldest first, each once. */
export function attachmentIdsOf(history: readonly MessageRecord[]): string[] {
  const ids = history.flatMap((message) => (message.role === 'user' ? (message.attachmentIds ?? []) : []));
  return [...new Set(ids)];
}

export interface DocumentPlacement {
  /** The turns as the engine will get them, before documents: system prompt first. */
  turns: readonly ChatTurn[];
  /** Which of `turns` is the question the documents go with. */
  questionIndex: number;
  attachments: readonly AttachmentForPrompt[];
  ranked: readonly Pick<RankedPassage, 'attachmentId' | 'passageIndex'>[];
  contextTokens: number;
  maxNewTokens: number;
}

export interface PlacedDocuments {
  turns: ChatTurn[];
  sources: ReplySource[];
}

/** Puts what fits of the files into the question's turn. Pure. */
export function placeDocuments(placement: DocumentPlacement): PlacedDocuments {
  const { turns, questionIndex } = placement;
  const question = turns[questionIndex];
  if (!question || placement.attachments.length === 0) return { turns: [...turns], sources: [] };
  const cost = (turn: ChatTurn): number => estimateTokens(turn.content) + TOKENS_PER_TURN;
  const historyTokens = turns.reduce((sum, turn, index) => (index === questionIndex ? sum : sum + cost(turn)), 0);
  const fitted = fitDocuments({
    contextTokens: placement.contextTokens,
    historyTokens,
    questionTokens: cost(question),
    // As the local engine keeps room for the reply: at most half the window, so a large "max new tokens" setting
    // cannot leave no room at all for the files.
    maxNewTokens: Math.min(placement.maxNewTokens, Math.floor(placement.contextTokens / 2)),
    attachments: placement.attachments,
    ranked: placement.ranked,
  });
  const placed = turns.map((turn, index) =>
    index === questionIndex ? { ...turn, content: userTurnWithDocuments(fitted.block, turn.content) } : turn,
  );
  return { turns: placed, sources: fitted.sources };
}

/** How many ranked passages to ask for: more than can fit, so the budget, not the count, decides. */
function passagesToRank(contextTokens: number): number {
  return Math.min(200, Math.max(16, Math.ceil(contextTokens / 64)));
}

export interface ReplyDocumentsDeps {
  repository: Pick<ChatRepository, 'getAttachment'>;
  passages: AttachmentPassages;
  /** The hosted catalogue's models as known now (empty until looked up). */
  catalogueModels: () => readonly CatalogueModel[];
}

export interface DocumentsRequest {
  turns: readonly ChatTurn[];
  questionIndex: number;
  /** The branch being answered, root first: where the files come from. */
  history: readonly MessageRecord[];
  settings: Settings;
}

/** The turns with the branch's files in the question's turn, and what of them was sent; as given if none. */
export async function placeBranchDocuments(
  deps: ReplyDocumentsDeps,
  { turns, questionIndex, history, settings }: DocumentsRequest,
): Promise<PlacedDocuments> {
  const ids = attachmentIdsOf(history);
  const question = turns[questionIndex];
  if (ids.length === 0 || !question) return { turns: [...turns], sources: [] };
  const stored = await Promise.all(ids.map((id) => deps.repository.getAttachment(id)));
  // A file deleted since (in another tab) is simply not there to send.
  const attachments = stored.filter((record): record is AttachmentRecord => record !== undefined);
  const contextTokens = contextTokensFor(settings, deps.catalogueModels());
  const ranked = await deps.passages.rank(question.content, passagesToRank(contextTokens), attachments);
  return placeDocuments({
    turns,
    questionIndex,
    attachments,
    ranked,
    contextTokens,
    maxNewTokens: settings.sampling.maxNewTokens,
  });
}
