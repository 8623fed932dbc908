/**
 * The reply runner's door to the files of a branch: a branch without files (most replies) costs nothing, and the
 * documents code that fits files to the budget (`reply-documents.ts`) loads only for the first reply that has some,
 * never with the first screen.
 */
import type { AttachmentRecord } from '../domain/attachments.js';
import type { MessageRecord } from '../domain/records.js';
import type { DocumentsRequest, PlacedDocuments, ReplyDocumentsDeps } from './reply-documents.js';

export interface BranchDocumentsDeps extends ReplyDocumentsDeps {
  newId: () => string;
  now: () => number;
}

export class BranchDocuments {
  readonly #deps: BranchDocumentsDeps;

  constructor(deps: BranchDocumentsDeps) {
    this.#deps = deps;
  }

  /** Copies of the files sent with `from`, to be stored with `to` (an edit of it); [] when it had none. */
  async copiesFor(from: MessageRecord, to: MessageRecord): Promise<AttachmentRecord[]> {
    const ids = from.attachmentIds ?? [];
    if (ids.length === 0) return [];
    const stored = await Promise.all(ids.map((id) => this.#deps.repository.getAttachment(id)));
    const createdAt = this.#deps.now();
    return stored
      .filter((record): record is AttachmentRecord => record !== undefined)
      .map((record) => ({
        ...record,
        id: this.#deps.newId(),
        messageId: to.id,
        conversationId: to.conversationId,
        createdAt,
      }));
  }

  async place(request: DocumentsRequest): Promise<PlacedDocuments> {
    const hasFiles = request.history.some((message) => (message.attachmentIds?.length ?? 0) > 0);
    if (!hasFiles) return { turns: [...request.turns], sources: [] };
    const { placeBranchDocuments } = await import('./reply-documents.js');
    return placeBranchDocuments(this.#deps, request);
  }
}
