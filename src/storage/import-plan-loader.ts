/** Import planning is used only when a backup is imported, so it is not part of the first screen's JavaScript. */
import { StorageError } from './errors.js';

export const IMPORT_LOAD_FAILED =
  'The backup import could not be loaded. Check your connection, then import again; nothing was changed.';

export async function loadImportPlan(): Promise<typeof import('./import-plan.js')> {
  try {
    return await import('./import-plan.js');
  } catch (error) {
    throw new StorageError('unknown', IMPORT_LOAD_FAILED, { cause: error });
  }
}
