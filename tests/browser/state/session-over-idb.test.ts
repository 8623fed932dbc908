import { sessionStorageSuite } from '../../unit/state/session-storage-suite.js';
import { useTestRepositories } from '../storage/harness.js';

const { newDatabaseName, open } = useTestRepositories();

// A fresh IndexedDB database per test; each tab is a connection of its own, in step through the real BroadcastChannel.
sessionStorageSuite('the IndexedDB repository', async () => {
  const name = newDatabaseName();
  return { tab: () => open(name) };
});
