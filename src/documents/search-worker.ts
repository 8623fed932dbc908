/** The search worker: splits and indexes attachments and ranks their passages, so a large file never blocks the page. */

import { splitPassages } from './passages.js';
import { PassageSearch } from './passage-search.js';
import { serveRpc, type MessageEndpoint, type RpcResponse } from './worker-rpc.js';
import type { SearchCall, SearchResult } from './passage-index.js';

const search = new PassageSearch();

// The global scope is the worker's own; typing it through the DOM lib keeps worker globals out of the page's types.
serveRpc<SearchCall, SearchResult>(
  globalThis as unknown as MessageEndpoint<RpcResponse<SearchResult, never>>,
  (call) => {
    switch (call.type) {
      case 'add': {
        const passages = call.passages ? [...call.passages] : splitPassages(call.text);
        search.add(call.attachmentId, call.text, passages);
        return { passages };
      }
      case 'remove':
        search.remove(call.attachmentId);
        return { removed: true };
      case 'retrieve':
        return { ranked: search.retrieve(call.question, call.k, call.attachmentIds) };
    }
  },
);
