import { describe, expect, test } from 'vitest';
import { parseRouterModels } from '../../../src/engines/hf/catalogue.js';
import type { CatalogueModel } from '../../../src/domain/catalogue.js';
import { createModelFilter, DEFAULT_FILTER_LIMIT } from '../../../src/domain/model-filter.js';
import routerPresent from '../../fixtures/hf-catalogue/router-mistral-present.json';

const models = parseRouterModels(routerPresent);
const ids = (list: readonly CatalogueModel[]): string[] => list.map((model) => model.id);

describe('createModelFilter', () => {
  const filter = createModelFilter(models);

  test('an empty query gives the list as it is, up to the limit', () => {
    expect(ids(filter(''))).toEqual(ids(models));
    expect(ids(filter('   ', 2))).toEqual(ids(models.slice(0, 2)));
  });

  test('matches a part of the id, whatever its case, keeping the catalogue’s order', () => {
    expect(ids(filter('INSTRUCT-v0'))).toEqual([
      'mistralai/Mistral-7B-Instruct-v0.3',
      'mistralai/Mixtral-8x7B-Instruct-v0.1',
    ]);
    expect(ids(filter('llama'))).toEqual(['meta-llama/Llama-3.1-8B-Instruct', 'meta-llama/Llama-3.3-70B-Instruct']);
  });

  test('several words must all appear, in any order', () => {
    expect(ids(filter('8b llama'))).toEqual(['meta-llama/Llama-3.1-8B-Instruct']);
    expect(filter('llama gemma')).toEqual([]);
  });

  test('stops at the limit', () => {
    const many = Array.from({ length: 5_000 }, (_, index) => ({ id: `org/model-${index}`, providers: [], live: true }));
    const found = createModelFilter(many)('model');
    expect(found).toHaveLength(DEFAULT_FILTER_LIMIT);
    expect(found[0]!.id).toBe('org/model-0');
    expect(ids(createModelFilter(many)('model-4999'))).toEqual(['org/model-4999']);
  });
});
