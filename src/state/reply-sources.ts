/**
 * What the "Sources" of a reply show: for each file the model saw, its passages' text, cut from the stored
 * attachment's text by the spans the reply saved. Read on demand: a reply keeps only spans, never text.
 */
import type { MessageRecord } from '../domain/records.js';
import type { ChatRepository } from '../storage/types.js';
import type { ShownSource } from './app-state.js';

export const SOURCES_UNREADABLE =
  'The sources of this reply could not be read. Try again; if it keeps failing, reload the page.';

export async function shownSources(
  repository: Pick<ChatRepository, 'getAttachment'>,
  message: MessageRecord | undefined,
): Promise<ShownSource[]> {
  const sources = message?.sources ?? [];
  return Promise.all(
    sources.map(async ({ attachmentId, name, whole, passages }) => {
      const attachment = await repository.getAttachment(attachmentId);
      // Deleted since (with its message, or in another tab): the name is all there is to show.
      if (!attachment) return { attachmentId, name, whole, excerpts: [] };
      const excerpts = whole ? [attachment.text] : passages.map((span) => attachment.text.slice(span.start, span.end));
      return { attachmentId, name, whole, excerpts };
    }),
  );
}
