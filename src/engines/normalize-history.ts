import type { ChatTurn } from './types.js';

const TURN_SEPARATOR = '\n\n';

function isBlank(text: string): boolean {
  return text.trim() === '';
}

/**
 * Shapes a conversation for Mistral's chat template, which both engines end up applying: the hosted template
 * rejects a late system message or two turns of the same role in a row, and WebLLM adds a default system prompt when
 * none is given. So the result is always
 *
 * - exactly one system turn first: `systemPrompt`, followed by the content of any system turns found in `turns`
 *   (blank and repeated ones skipped), joined with a blank line; possibly `""`, but always present so both engines
 *   behave alike;
 * - then user and assistant turns strictly alternating, starting and ending with a user turn: consecutive turns of
 *   the same role are joined with a blank line, blank turns are dropped (a failed reply leaves an empty assistant
 *   turn), assistant turns before the first user turn and after the last one are dropped.
 *
 * With no non-blank user turn the result is the system turn alone: the caller decides what to do with that.
 */
export function normalizeHistory(turns: readonly ChatTurn[], systemPrompt: string): ChatTurn[] {
  const systemParts: string[] = [];
  const addSystemPart = (text: string): void => {
    if (!isBlank(text) && !systemParts.includes(text)) systemParts.push(text);
  };
  addSystemPart(systemPrompt);

  const dialogue: ChatTurn[] = [];
  for (const turn of turns) {
    if (turn.role === 'system') {
      addSystemPart(turn.content);
      continue;
    }
    if (isBlank(turn.content)) continue;
    const previous = dialogue.at(-1);
    if (previous === undefined && turn.role === 'assistant') continue;
    if (previous?.role === turn.role) {
      previous.content = `${previous.content}${TURN_SEPARATOR}${turn.content}`;
    } else {
      dialogue.push({ role: turn.role, content: turn.content });
    }
  }
  if (dialogue.at(-1)?.role === 'assistant') dialogue.pop();

  return [{ role: 'system', content: systemParts.join(TURN_SEPARATOR) }, ...dialogue];
}
