// The layers hold because the linter refuses an upward import: each case is a file that would break one rule, linted
// with the project's own ESLint config as if it lived at that path.
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const used = value;\n`, { filePath });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}

describe('the layer rules', () => {
  // The first lint loads the config and every plugin (seconds on a busy machine); the cases after it are fast.
  beforeAll(() => layerErrors('src/domain/warm-up.ts', 'const value = 1;'), 120_000);

  it.each([
    ['src/domain/x.ts', "import { value } from '../storage/records.js';", /domain\/ imports nothing/],
    ['src/domain/x.ts', "import { value } from 'idb';", /packages included/],
    ['src/messaging/x.ts', "import { value } from '../domain/records.js';", /messaging\/ imports nothing/],
    ['src/messaging/x.ts', "import { value } from '../engines/types.js';", /messaging\/ imports nothing/],
    ['src/messaging/x.ts', "import { value } from 'idb';", /packages included/],
    ['src/storage/x.ts', "import { value } from '../state/store.js';", /storage\/ imports only domain/],
    ['src/storage/x.ts', "import { value } from '../engines/types.js';", /storage\/ imports only domain/],
    ['src/engines/hf/x.ts', "import { value } from '../../state/store.js';", /engines\/ imports only domain/],
    ['src/engines/x.ts', "import { value } from '../storage/records.js';", /engines\/ imports only domain/],
    ['src/markdown/x.ts', "import { value } from '../components/icons.js';", /markdown\/ imports only domain/],
    ['src/state/x.ts', "import { value } from '../components/icons.js';", /state\/ is below the UI/],
    ['src/state/x.ts', "import { value } from '../app/shortcuts.js';", /state\/ is below the UI/],
    ['src/components/x.ts', "import { value } from '../engines/types.js';", /components\/ import domain/],
    ['src/components/x.ts', "import { value } from '../storage/records.js';", /components\/ import domain/],
    ['src/components/x.ts', "import { value } from '../app/shortcuts.js';", /components\/ import domain/],
    ['src/components/x.ts', "import { value } from '../messaging/endpoint.js';", /components\/ import domain/],
    ['src/components/x.ts', "import { value } from '../state/store.js';", /only types from state/],
  ])('%s may not: %s', async (filePath, code, message) => {
    const errors = await layerErrors(filePath, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it.each([
    ['src/storage/x.ts', "import { value } from '../domain/records.js';"],
    ['src/engines/hf/x.ts', "import { value } from '../../domain/settings.js';"],
    ['src/engines/hf/x.ts', "import { value } from '../types.js';"],
    ['src/engines/hf/x.ts', "import { value } from '../../messaging/endpoint.js';"],
    ['src/storage/x.ts', "import { value } from '../messaging/pending-calls.js';"],
    ['src/documents/x.ts', "import { value } from '../messaging/error-codec.js';"],
    ['src/messaging/x.ts', "import { value } from './endpoint.js';"],
    ['src/state/x.ts', "import { value } from '../storage/records.js';"],
    ['src/components/x.ts', "import type { value } from '../state/app-state.js';"],
    ['src/components/x.ts', "import { value } from '../markdown/index.js';"],
    ['src/app/x.ts', "import { value } from '../components/icons.js';"],
  ])('%s may: %s', async (filePath, code) => {
    expect(await layerErrors(filePath, code)).toEqual([]);
  });
});
