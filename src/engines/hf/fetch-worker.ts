/**
 * The dedicated worker that reads hosted replies off the network for the page (see fetch-protocol.ts): it makes the
 * request and passes the body on in batches of at most one per frame. It holds nothing else: no token is kept here
 * beyond the request that carries it.
 */

import { workerScope } from '../../messaging/endpoint.js';
import { serveFetch, type FetchWorkerResponse } from './fetch-protocol.js';

serveFetch(workerScope<FetchWorkerResponse>(), {
  fetch: (input, init) => fetch(input, init),
  pageOrigin: location.origin,
});
