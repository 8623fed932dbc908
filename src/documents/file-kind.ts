/**
 * What kind of file an attachment is, from its name and the type the browser reports (both hostile, neither proof:
 * the reader still checks the bytes). Unknown names are tried as plain text, so a `Makefile` or `LICENSE` works.
 */

export type FileKind =
  | { kind: 'pdf'; type: 'application/pdf' }
  | { kind: 'html'; type: 'text/html' }
  | { kind: 'text'; type: string }
  | { kind: 'unsupported'; what: string };

const TEXT_TYPES_BY_EXTENSION: Readonly<Record<string, string>> = {
  txt: 'text/plain',
  text: 'text/plain',
  log: 'text/plain',
  rst: 'text/plain',
  adoc: 'text/plain',
  org: 'text/plain',
  tex: 'text/plain',
  srt: 'text/plain',
  vtt: 'text/plain',
  md: 'text/markdown',
  markdown: 'text/markdown',
  mdx: 'text/markdown',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  json: 'application/json',
  jsonl: 'application/json',
  ndjson: 'application/json',
  geojson: 'application/json',
};

/** Code, by extension: the type names the language, so the model can be told what it reads. */
const CODE_LANGUAGES: Readonly<Record<string, string>> = {
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  py: 'python',
  rb: 'ruby',
  php: 'php',
  java: 'java',
  kt: 'kotlin',
  kts: 'kotlin',
  scala: 'scala',
  swift: 'swift',
  go: 'go',
  rs: 'rust',
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  hpp: 'cpp',
  cs: 'csharp',
  fs: 'fsharp',
  m: 'objective-c',
  dart: 'dart',
  lua: 'lua',
  r: 'r',
  jl: 'julia',
  pl: 'perl',
  sh: 'shellscript',
  bash: 'shellscript',
  zsh: 'shellscript',
  ps1: 'powershell',
  sql: 'sql',
  css: 'css',
  scss: 'scss',
  less: 'less',
  vue: 'vue',
  svelte: 'svelte',
  xml: 'xml',
  yaml: 'yaml',
  yml: 'yaml',
  toml: 'toml',
  ini: 'ini',
  cfg: 'ini',
  conf: 'ini',
  env: 'dotenv',
  dockerfile: 'dockerfile',
  makefile: 'makefile',
  gradle: 'groovy',
  groovy: 'groovy',
  ex: 'elixir',
  exs: 'elixir',
  erl: 'erlang',
  hs: 'haskell',
  ml: 'ocaml',
  clj: 'clojure',
  zig: 'zig',
  nim: 'nim',
  proto: 'protobuf',
  graphql: 'graphql',
  tf: 'terraform',
  ipynb: 'json',
};

/** Families the app cannot read, named so the message says what the file is. */
const UNSUPPORTED_TYPE_PREFIXES: readonly [string, string][] = [
  ['image/', 'an image'],
  ['audio/', 'an audio file'],
  ['video/', 'a video'],
  ['font/', 'a font'],
];

export function fileKind(name: string, reportedType: string): FileKind {
  const extension = extensionOf(name);
  const type = reportedType.toLowerCase().split(';')[0]?.trim() ?? '';
  if (extension === 'pdf' || type === 'application/pdf') return { kind: 'pdf', type: 'application/pdf' };
  if (extension === 'html' || extension === 'htm' || extension === 'xhtml' || type === 'text/html') {
    return { kind: 'html', type: 'text/html' };
  }
  const textType = TEXT_TYPES_BY_EXTENSION[extension];
  if (textType) return { kind: 'text', type: textType };
  const language = CODE_LANGUAGES[extension];
  if (language) return { kind: 'text', type: `text/x-${language}` };
  for (const [prefix, what] of UNSUPPORTED_TYPE_PREFIXES) {
    if (type.startsWith(prefix)) return { kind: 'unsupported', what };
  }
  if (type === 'text/markdown' || type === 'text/csv' || type === 'application/json') return { kind: 'text', type };
  if (type.endsWith('+json')) return { kind: 'text', type: 'application/json' };
  return { kind: 'text', type: 'text/plain' };
}

/** The last dot's extension, or the whole name for extension-less files known by name (`Makefile`, `Dockerfile`). */
function extensionOf(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).toLowerCase();
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1) : base;
}
