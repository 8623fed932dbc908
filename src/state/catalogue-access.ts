/**
 * The catalogue code the catalogue service loads on its first look-up: fetching and parsing (router, Hub API, an
 * endpoint's `/models`), the cache of the last good list of each, and resolving a typed id against a list.
 */
import { closestLiveModel, resolveModel } from '../domain/catalogue.js';
import { isCatalogueStale, loadEndpointCatalogue, loadHuggingFaceCatalogue } from '../engines/hf/catalogue-source.js';
import { IdbCatalogueCache } from '../storage/catalogue-cache.js';
import type { CatalogueAccess } from './catalogue-service.js';

export function createCatalogueAccess(): CatalogueAccess {
  const options = { cache: new IdbCatalogueCache() };
  return {
    loadHuggingFace: () => loadHuggingFaceCatalogue(options),
    loadEndpoint: (endpointUrl, credential) => loadEndpointCatalogue(endpointUrl, credential, options),
    isStale: isCatalogueStale,
    resolve: resolveModel,
    closestLive: closestLiveModel,
  };
}
