/** The text worker: decodes a large text file and, for HTML, extracts its text, off the page's thread. */

import { textContent } from './text-content.js';
import type { DecodedText } from './text-decode.js';
import type { TextCall } from './text-reader.js';
import { serveRpc, type MessageEndpoint, type RpcResponse } from './worker-rpc.js';

// The global scope is the worker's own; typing it through the DOM lib keeps worker globals out of the page's types.
serveRpc<TextCall, DecodedText>(globalThis as unknown as MessageEndpoint<RpcResponse<DecodedText, never>>, (call) =>
  textContent(call.bytes, call.html),
);
