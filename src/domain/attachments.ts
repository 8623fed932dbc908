/** A span of an attachment's `text`: [start, end) in UTF-16 code units. */
export interface PassageSpan {
  start: number;
  end: number;
}

export interface AttachmentRecord {
  id: string;
  conversationId: string;
  /** The user message it was sent with. */
  messageId: string;
  /** The file's name as given: hostile, shown only as text. */
  name: string;
  /** 'text/plain' | 'text/markdown' | 'text/csv' | 'application/json' | 'text/html' | 'application/pdf' | code… */
  type: string;
  /** Bytes of the original file. */
  size: number;
  /** The extracted text (PDF: page texts joined with "\n\n"; HTML: its text, never rendered). */
  text: string;
  /** The passages `text` is split into, in order; empty when the file is sent whole. */
  passages: readonly PassageSpan[];
  /** PDF only. */
  pages?: number;
  /** The original bytes, only when the user asked to keep them. */
  bytes?: Blob;
  createdAt: number;
}

/** On an assistant reply: what of which file the model saw. */
export interface ReplySource {
  attachmentId: string;
  name: string;
  /** Whole file sent: `whole: true` and no passages. */
  whole: boolean;
  passages: readonly PassageSpan[];
}
