/**
 * Fits attached files into what is left of the model's context window: each file goes whole when it fits beside the
 * others, otherwise as its passages most relevant to the question, as many as fit. Pure: the caller estimates the
 * history and the question, retrieves the ranked passages, and puts the returned block into the user turn.
 */

import type { PassageSpan, ReplySource } from '../domain/attachments.js';
import { estimateTokens } from './token-estimate.js';

/** Mistral 7B in WebLLM; a hosted model's budget is its catalogue entry's `context_length`. */
export const LOCAL_CONTEXT_TOKENS = 4_096;

/** Room for the user turn's own template tokens and for the estimate's error on the block's markup. */
const SAFETY_TOKENS = 24;
/** Marks where passages of a file were left out between two sent ones. */
const GAP = '\n[…]\n';

export interface AttachmentForPrompt {
  id: string;
  name: string;
  text: string;
  /** Its passages (`splitPassages`): what is sent of it when it does not fit whole. */
  passages: readonly PassageSpan[];
}

export interface BudgetRequest {
  /** The engine's whole context window, in tokens. */
  contextTokens: number;
  /** The system prompt and history as they will be sent. */
  historyTokens: number;
  questionTokens: number;
  /** Kept free for the reply. */
  maxNewTokens: number;
  attachments: readonly AttachmentForPrompt[];
  /** Passages by relevance to the question, best first, across the attachments (from the passage index). */
  ranked: readonly { attachmentId: string; passageIndex: number }[];
}

export interface FittedDocuments {
  /** Goes into the user turn before the question; '' when no file fits at all. */
  block: string;
  /** What of which file the model sees, in attachment order; files that did not fit are absent. */
  sources: ReplySource[];
  /** The estimate of `block`. */
  tokens: number;
}

interface Plan {
  attachment: AttachmentForPrompt;
  whole: boolean;
  /** Passage index → its span, for the files sent as excerpts. */
  chosen: Map<number, PassageSpan>;
}

export function fitDocuments(request: BudgetRequest): FittedDocuments {
  const available =
    request.contextTokens - request.historyTokens - request.questionTokens - request.maxNewTokens - SAFETY_TOKENS;
  const plans: Plan[] = request.attachments.map((attachment) => ({ attachment, whole: false, chosen: new Map() }));
  let remaining = available;

  // Smallest first: a short file goes whole when it fits in its share, leaving the rest to the long ones' passages.
  const bySize = [...plans].sort((a, b) => wholeCost(a.attachment) - wholeCost(b.attachment));
  bySize.forEach((plan, order) => {
    const cost = wholeCost(plan.attachment);
    const share = remaining / (bySize.length - order);
    if (cost <= share) {
      plan.whole = true;
      remaining -= cost;
    }
  });

  const byId = new Map(plans.filter((plan) => !plan.whole).map((plan) => [plan.attachment.id, plan]));
  const tryAdd = (plan: Plan, passageIndex: number): void => {
    const span = plan.attachment.passages[passageIndex];
    if (!span || plan.chosen.has(passageIndex)) return;
    const cost = passageCost(plan.attachment, span) + (plan.chosen.size === 0 ? wrapperCost(plan.attachment) : 0);
    if (cost > remaining) return;
    plan.chosen.set(passageIndex, span);
    remaining -= cost;
  };
  for (const { attachmentId, passageIndex } of request.ranked) {
    const plan = byId.get(attachmentId);
    if (plan) tryAdd(plan, passageIndex);
  }
  // A question that matches no word of a file ("summarise this") still gets its opening passages.
  for (const plan of byId.values()) {
    if (plan.chosen.size > 0) continue;
    for (let index = 0; index < plan.attachment.passages.length; index += 1) tryAdd(plan, index);
  }

  const sent = plans.filter((plan) => plan.whole || plan.chosen.size > 0);
  const block = sent.map(render).join('\n\n');
  return {
    block,
    sources: sent.map(({ attachment, whole, chosen }) => ({
      attachmentId: attachment.id,
      name: attachment.name,
      whole,
      passages: whole ? [] : inOrder(chosen).map(([, span]) => span),
    })),
    tokens: block === '' ? 0 : estimateTokens(block),
  };
}

/** The user turn: the files first, then the question, so the question is the last thing the model reads. */
export function userTurnWithDocuments(block: string, question: string): string {
  return block === '' ? question : `${block}\n\n${question}`;
}

function render({ attachment, whole, chosen }: Plan): string {
  const open = openTag(attachment, whole);
  if (whole) return `${open}\n${neutralize(attachment.text)}\n</document>`;
  const parts: string[] = [];
  let previous = -2;
  for (const [index, span] of inOrder(chosen)) {
    if (parts.length > 0) parts.push(index === previous + 1 ? '\n\n' : GAP);
    parts.push(neutralize(attachment.text.slice(span.start, span.end)));
    previous = index;
  }
  return `${open}\n${parts.join('')}\n</document>`;
}

function openTag(attachment: AttachmentForPrompt, whole: boolean): string {
  const part = whole ? '' : ' part="excerpts"';
  return `<document name="${escapeAttribute(attachment.name)}"${part}>`;
}

/**
 * A file's own text cannot close its tag: a hostile file holding "</document>" would otherwise make what follows it
 * look like the user's words rather than the file's.
 */
function neutralize(text: string): string {
  return text.replace(/<(\/?)(document)/gi, '&lt;$1$2');
}

function escapeAttribute(name: string): string {
  return (
    name
      // eslint-disable-next-line no-control-regex -- line breaks and other controls cannot be in a one-line name
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
      .replace(/&/g, '&amp;')
      .replace(/"/g, '&quot;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
  );
}

function wrapperCost(attachment: AttachmentForPrompt): number {
  return estimateTokens(`${openTag(attachment, false)}\n\n</document>\n\n`);
}

function wholeCost(attachment: AttachmentForPrompt): number {
  return (
    estimateTokens(`${openTag(attachment, true)}\n\n</document>\n\n`) + estimateTokens(neutralize(attachment.text))
  );
}

function passageCost(attachment: AttachmentForPrompt, span: PassageSpan): number {
  return estimateTokens(neutralize(attachment.text.slice(span.start, span.end))) + estimateTokens(GAP);
}

/** Passages are sent, and shown as sources, in the file's own order, whatever their rank. */
function inOrder(chosen: Map<number, PassageSpan>): [number, PassageSpan][] {
  return [...chosen].sort(([a], [b]) => a - b);
}
