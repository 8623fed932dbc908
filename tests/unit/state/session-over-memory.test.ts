import { SharedDatabase } from '../fakes/tabs.js';
import { sessionStorageSuite } from './session-storage-suite.js';

// Each tab of the shared database hears the others' writes, as IndexedDB connections do through BroadcastChannel.
sessionStorageSuite('the in-memory repository', async () => {
  const database = new SharedDatabase();
  return { tab: async () => database.tab() };
});
