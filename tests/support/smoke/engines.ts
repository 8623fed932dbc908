// The typed face of scripts/find-engines.mjs (plain ESM shared with `npm test`'s up-front check).
// @ts-expect-error -- a plain ESM script without type declarations.
import * as untyped from '../../../scripts/find-engines.mjs';

interface EngineExecutables {
  firefox: string;
  webkitDriver: string;
  miniBrowser: string;
  xvfb: string;
}

interface FindEnginesModule {
  findEngines(env?: NodeJS.ProcessEnv): Partial<EngineExecutables>;
  missingEnginesMessage(found: Partial<EngineExecutables>): string | undefined;
}

const findEnginesModule = untyped as FindEnginesModule;

/** Firefox, WebKitWebDriver, MiniBrowser and Xvfb; throws the one-line install hint when any is missing. */
export function engineExecutables(): EngineExecutables {
  const found = findEnginesModule.findEngines();
  const missing = findEnginesModule.missingEnginesMessage(found);
  if (missing) throw new Error(missing);
  return found as EngineExecutables;
}
