/** The text worker: decodes a large text file and, for HTML, extracts its text, off the page's thread. */

import { textContent } from './text-content.js';
import type { DecodedText } from './text-decode.js';
import type { TextCall } from './text-reader.js';
import { workerScope } from '../messaging/endpoint.js';
import { serveRpc, type RpcResponse } from './worker-rpc.js';

serveRpc<TextCall, DecodedText>(workerScope<RpcResponse<DecodedText, never>>(), (call) =>
  textContent(call.bytes, call.html),
);
