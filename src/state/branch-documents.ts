/**
 * The reply runner's door to the files of a branch: a branch without files (most replies) costs nothing, and the
 * documents code that fits files to the budget (`reply-documents.ts`) loads only for the first reply that has some,
 * never with the first screen.
 */
import type { DocumentsRequest, PlacedDocuments, ReplyDocumentsDeps } from './reply-documents.js';

export class BranchDocuments {
  readonly #deps: ReplyDocumentsDeps;

  constructor(deps: ReplyDocumentsDeps) {
    this.#deps = deps;
  }

  async place(request: DocumentsRequest): Promise<PlacedDocuments> {
    const hasFiles = request.history.some((message) => (message.attachmentIds?.length ?? 0) > 0);
    if (!hasFiles) return { turns: [...request.turns], sources: [] };
    const { placeBranchDocuments } = await import('./reply-documents.js');
    return placeBranchDocuments(this.#deps, request);
  }
}
