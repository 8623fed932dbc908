/** The search worker: holds the passage index, so indexing a large file never blocks the page. */

import { PassageSearch } from './passage-search.js';
import type { RankedPassage } from './passage-search.js';
import { serveRpc } from './worker-rpc.js';
import type { MessageEndpoint, RpcResponse } from './worker-rpc.js';
import type { SearchCall } from './passage-index.js';

const search = new PassageSearch();

// The global scope is the worker's own; typing it through the DOM lib keeps worker globals out of the page's types.
serveRpc<SearchCall, RankedPassage[] | null>(
  globalThis as unknown as MessageEndpoint<RpcResponse<RankedPassage[] | null, never>>,
  (call) => {
    switch (call.type) {
      case 'add':
        search.add(call.attachmentId, call.text, call.passages);
        return null;
      case 'remove':
        search.remove(call.attachmentId);
        return null;
      case 'retrieve':
        return search.retrieve(call.question, call.k, call.attachmentIds);
    }
  },
);
