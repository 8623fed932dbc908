// Types for stream-tokens.mjs, which the browser tests import to stream the bench's own Markdown-heavy reply.
export declare const LAST_TOKEN_MARKER: string;
export declare function proseTokens(count: number): string[];
export declare function markdownHeavyTokens(count: number): string[];
