/** The search worker: splits and indexes attachments and ranks their passages, so a large file never blocks the page. */

import { splitPassages } from './passages.js';
import { PassageSearch } from './passage-search.js';
import { workerScope } from '../messaging/endpoint.js';
import { serveRpc, type RpcResponse } from './worker-rpc.js';
import type { SearchCall, SearchResult } from './passage-index.js';

const search = new PassageSearch();

serveRpc<SearchCall, SearchResult>(workerScope<RpcResponse<SearchResult, never>>(), (call) => {
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
});
