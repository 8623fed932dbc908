/**
 * The dedicated worker that reads hosted replies off the network for the page (see fetch-protocol.ts): it makes the
 * request and passes the body on in batches of at most one per frame. It holds nothing else: no token is kept here
 * beyond the request that carries it.
 */

import { serveFetch } from './fetch-protocol.js';
import type { FetchWorkerResponse, MessageEndpoint } from './fetch-protocol.js';

// The global scope is the worker's own here; typing it through the DOM lib keeps worker globals
// (DedicatedWorkerGlobalScope) out of the page's types, and both scopes post and deliver MessageEvents alike.
serveFetch(globalThis as unknown as MessageEndpoint<FetchWorkerResponse>, {
  fetch: (input, init) => fetch(input, init),
  pageOrigin: location.origin,
});
