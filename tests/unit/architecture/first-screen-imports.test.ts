// The first screen's JavaScript stays small because some modules load only after first paint or on first use. A
// static import from anywhere in the boot graph would quietly put one back into the initial bundle: this walks the
// graph the bundler follows (value imports and re-exports, not `import type` nor `import()`) from src/main.ts.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const ENTRY = 'src/main.ts';

/** Modules the first screen does not draw; each is loaded with `import()` where it is first needed. */
const LOADED_LATER = [
  // Storage and the chat session: the first screen is drawn from the snapshot before IndexedDB opens.
  'src/session-boot.ts',
  'src/storage/idb-repository.ts',
  'src/state/chat-session.ts',
  'src/state/reply-runner.ts',
  'src/engines/engine-resolver.ts',
  'src/state/search-runner.ts',
  'src/storage/lazy-search.ts',
  'src/storage/import-plan-loader.ts',
  'src/state/backup-actions.ts',
  'src/state/model-recovery.ts',
  'src/state/preset-keeper.ts',
  'src/pwa/register.ts',
  'src/storage/search-index.ts',
  'src/storage/search-text.ts',
  'src/storage/idb-search.ts',
  'src/storage/memory-repository.ts',
  'src/storage/import-plan.ts',
  // The on-device engine's service and what only it uses: the first screen draws its engine line without them.
  'src/engines/webllm/local-model-service.ts',
  'src/engines/webllm/errors.ts',
  'src/engines/webllm/catalog.ts',
  'src/engines/webllm/storage-quota.ts',
  // Attachments: read when a file is attached, fitted to the budget for the first reply that has one.
  'src/documents/read-attachment.ts',
  'src/documents/passage-index.ts',
  'src/documents/budget.ts',
  'src/state/reply-documents.ts',
  // A reply's "Sources": drawn for the first reply given files.
  'src/components/mc-reply-sources.ts',
];

// `import x from './a.js'`, `import { a, type B } from './a.js'`, `import './a.js'`, `export * from './a.js'`,
// `export { a } from './a.js'`, across lines; `import type` / `export type` are erased, so they are left out.
const STATIC_SPECIFIER =
  /(?:^|[;\n}])\s*(?:import(?!\s+type\b)(?:[\w$*{}\s,]*?\bfrom)?|export(?!\s+type\b)[\w$*{}\s,]*?\bfrom)\s*['"](\.{1,2}\/[^'"]+)['"]/g;

export function staticImportsOf(source: string): string[] {
  const withoutComments = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  return [...withoutComments.matchAll(STATIC_SPECIFIER)].map((match) => match[1] ?? '');
}

function resolveModule(fromFile: string, specifier: string): string | undefined {
  const target = join(dirname(join(ROOT, fromFile)), specifier);
  const candidates = [target.replace(/\.js$/, '.ts'), target, `${target}.ts`, join(target, 'index.ts')];
  const found = candidates.find((candidate) => /\.(ts|js)$/.test(candidate) && existsSync(candidate));
  return found === undefined ? undefined : relative(ROOT, found).split('\\').join('/');
}

/** Every source module reachable from `entry` through static imports, with the chain that first reached it. */
function staticGraph(entry: string): Map<string, string[]> {
  const reached = new Map<string, string[]>([[entry, [entry]]]);
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    const chain = reached.get(file) ?? [file];
    for (const specifier of staticImportsOf(readFileSync(join(ROOT, file), 'utf8'))) {
      const target = resolveModule(file, specifier);
      if (target === undefined || reached.has(target)) continue;
      reached.set(target, [...chain, target]);
      pending.push(target);
    }
  }
  return reached;
}

describe('the first screen', () => {
  const graph = staticGraph(ENTRY);

  it('reaches the modules it draws (the walk follows real imports)', () => {
    expect(graph.has('src/app/mc-chat-app.ts')).toBe(true);
    expect(graph.has('src/storage/first-screen-snapshot.ts')).toBe(true);
    expect(graph.size).toBeGreaterThan(20);
  });

  it.each(LOADED_LATER)('does not statically import %s', (module) => {
    expect(existsSync(join(ROOT, module)), `${module} was moved: update this list`).toBe(true);
    expect(graph.get(module)?.join(' → ')).toBeUndefined();
  });
});

describe('the import scanner', () => {
  it('follows value imports and re-exports, and skips type-only and dynamic imports', () => {
    const source = [
      "import { a,\n  type B } from './a.js';",
      "import type { C } from './c.js';",
      "import './side-effect.js';",
      "export * from './star.js';",
      "export { d } from './d.js';",
      "export type { E } from './e.js';",
      "const lazy = () => import('./lazy.js');",
      "// import { f } from './commented.js';",
    ].join('\n');
    expect(staticImportsOf(source)).toEqual(['./a.js', './side-effect.js', './star.js', './d.js']);
  });
});
