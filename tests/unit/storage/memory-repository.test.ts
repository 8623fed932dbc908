import { MemoryRepository } from '../../../src/storage/memory-repository.js';
import { describeRepositoryContract } from '../../support/repository-contract.js';

describeRepositoryContract('MemoryRepository', async () => new MemoryRepository());
