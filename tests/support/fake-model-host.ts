// A stand-in for the two hosts WebLLM downloads a model from, so end-to-end tests drive WebLLM's real `reload()` in
// the app's worker without a GPU or gigabytes of weights. Both hosts are answered by context routes (which also
// catch the worker's requests and Cache.add()), never by DNS: the sealed browser resolves only local hosts.
//
// The URLs come from the installed WebLLM's own catalogue record (`model`, `model_lib`), so they cannot drift from
// what the app fetches. For @mlc-ai/web-llm 0.2.86 and Mistral-7B-Instruct-v0.3-q4f32_1-MLC, in the order
// `MLCEngine.reloadInternal` asks for them:
//
//   https://huggingface.co/mlc-ai/<model>/resolve/main/mlc-chat-config.json      → Cache Storage "webllm/config"
//   https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/
//       Mistral-7B-Instruct-v0.3-q4f32_1_cs1k-webgpu.wasm                         → "webllm/wasm", then instantiated
//   https://huggingface.co/mlc-ai/<model>/resolve/main/tokenizer.json             → "webllm/model"
//   https://huggingface.co/mlc-ai/<model>/resolve/main/tensor-cache.json          → "webllm/model"
//   https://huggingface.co/mlc-ai/<model>/resolve/main/params_shard_<i>.bin       → "webllm/model", 4 at a time
//
// Real Hugging Face answers `resolve/main` for large files with a redirect to its CDN; these fakes answer directly.
//
// The model library is the one fake WebLLM cannot get past. `stub-runtime` is a hand-assembled WebAssembly module
// that answers the few calls of TVM's FFI that tvmjs makes while it sets up (allocating call stacks, looking up and
// registering global functions), so WebLLM goes on to fetch the tokenizer and every weight shard and to read them
// back "from cache" (the shard index lists no tensors, so nothing is copied to the GPU); the first real call into
// the library, when WebLLM builds its chat pipeline, fails with {@link STUB_RUNTIME_ERROR}. `not-wasm` is an HTML
// page where the library should be: the load fails as soon as the library is compiled, before any weight is fetched.
import { Buffer } from 'node:buffer';
import type { BrowserContext, Request, Route } from 'playwright-core';

export const FAKE_MODEL_ID = 'Mistral-7B-Instruct-v0.3-q4f32_1-MLC';

/** What the stub model library says when WebLLM first calls into it. */
export const STUB_RUNTIME_ERROR = 'This model library is a test stub: it contains no compiled model.';

/** How the app reports that failure: what happened, and the Hugging Face API as the way on. */
export const STUB_LOAD_FAILED = /The local model failed\. .*Hugging Face API/;

const CORS = { 'access-control-allow-origin': '*' };

export interface FakeModelHostOptions {
  library?: 'stub-runtime' | 'not-wasm';
}

/** WebLLM downloads in four parallel loops, here of two shards each. */
const SHARD_COUNT = 8;
const SHARD_BYTES = 256 * 1024;

export interface FakeModelUrls {
  /** `…/resolve/main/`, the base every model file is resolved against. */
  modelBase: string;
  config: string;
  library: string;
  tokenizer: string;
  index: string;
  shards: string[];
}

/** Holds every request for one URL until released; the test controls when a download can go on. */
export interface HeldUrl {
  /** Resolves when the first request for the URL arrives. */
  arrived: Promise<void>;
  release(): void;
}

interface FakeFile {
  contentType: string;
  body: Buffer;
}

export class FakeModelHost {
  readonly urls: FakeModelUrls;
  /** Every request either host saw, in order: the worker's too. */
  readonly requested: string[] = [];
  /** Requests for files the fake hosts do not have (answered 404); a test expects none. */
  readonly unknown: string[] = [];
  readonly #files: Map<string, FakeFile>;
  readonly #failures = new Map<string, number>();
  readonly #held = new Map<string, { promise: Promise<void>; arrive: () => void }>();

  private constructor(urls: FakeModelUrls, files: Map<string, FakeFile>) {
    this.urls = urls;
    this.#files = files;
  }

  /** Reads the model's URLs from the installed WebLLM's catalogue and builds the fake files. */
  static async create(options: FakeModelHostOptions = {}): Promise<FakeModelHost> {
    const { library = 'stub-runtime' } = options;
    const { prebuiltAppConfig } = await import('@mlc-ai/web-llm');
    const record = prebuiltAppConfig.model_list.find((candidate) => candidate.model_id === FAKE_MODEL_ID);
    if (!record?.model_lib) throw new Error(`WebLLM's catalogue has no model library for ${FAKE_MODEL_ID}.`);
    const modelBase = cleanModelUrl(record.model);
    const shardNames = Array.from({ length: SHARD_COUNT }, (_, index) => `params_shard_${index}.bin`);
    const urls: FakeModelUrls = {
      modelBase,
      config: new URL('mlc-chat-config.json', modelBase).href,
      library: record.model_lib,
      tokenizer: new URL('tokenizer.json', modelBase).href,
      index: new URL('tensor-cache.json', modelBase).href,
      shards: shardNames.map((name) => new URL(name, modelBase).href),
    };
    const files = new Map<string, FakeFile>([
      [urls.config, json(chatConfig())],
      [urls.tokenizer, json(TOKENIZER)],
      [urls.index, json(tensorCacheIndex(shardNames, SHARD_BYTES))],
      [urls.library, modelLibrary(library)],
      ...urls.shards.map((url, index): [string, FakeFile] => [
        url,
        { contentType: 'application/octet-stream', body: Buffer.alloc(SHARD_BYTES, index + 1) },
      ]),
    ]);
    return new FakeModelHost(urls, files);
  }

  /** Answers huggingface.co and raw.githubusercontent.com in `context` (every page and worker in it). */
  async install(context: BrowserContext): Promise<void> {
    const handler = (route: Route) => this.#answer(route);
    await context.route('https://huggingface.co/**', handler);
    await context.route('https://raw.githubusercontent.com/**', handler);
  }

  /** From now on, the model library host serves `library`. */
  serveLibrary(library: NonNullable<FakeModelHostOptions['library']>): void {
    this.#files.set(this.urls.library, modelLibrary(library));
  }

  /** How many requests reached `url`. */
  count(url: string): number {
    return this.requested.filter((requested) => requested === url).length;
  }

  /** The next `times` requests for `url` fail as a dropped connection would. */
  failRequests(url: string, times = Number.POSITIVE_INFINITY): void {
    this.#failures.set(url, times);
  }

  /** Requests for `url` wait until `release()`. */
  hold(url: string): HeldUrl {
    let release = (): void => undefined;
    let arrive = (): void => undefined;
    const promise = new Promise<void>((resolve) => (release = resolve));
    const arrived = new Promise<void>((resolve) => (arrive = resolve));
    this.#held.set(url, { promise, arrive });
    return {
      arrived,
      release: () => {
        this.#held.delete(url);
        release();
      },
    };
  }

  async #answer(route: Route): Promise<void> {
    const url = route.request().url();
    this.requested.push(url);
    const file = this.#files.get(url);
    if (!file) {
      this.unknown.push(url);
      await route.fulfill({ status: 404, headers: CORS, contentType: 'text/plain', body: 'Not found' });
      return;
    }
    const held = this.#held.get(url);
    if (held) {
      held.arrive();
      await held.promise;
    }
    const failures = this.#failures.get(url) ?? 0;
    if (failures > 0) {
      this.#failures.set(url, failures - 1);
      await route.abort('connectionreset');
      return;
    }
    // Playwright drops, without an error, the answer to a request whose worker or page has gone meanwhile.
    await route.fulfill({ status: 200, headers: CORS, contentType: file.contentType, body: file.body });
  }
}

/** The URLs of `requests` that left the app's origin (`appUrl`); data: and blob: URLs never leave the page. */
export function offOrigin(requests: readonly Request[], appUrl: string): string[] {
  const origin = new URL(appUrl).origin;
  return requests
    .map((request) => request.url())
    .filter((url) => !url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin);
}

/** WebLLM's `cleanModelUrl`. */
function cleanModelUrl(modelUrl: string): string {
  let url = modelUrl.endsWith('/') ? modelUrl : `${modelUrl}/`;
  if (!/.+\/resolve\/.+\//.test(url)) url += 'resolve/main/';
  return new URL(url).href;
}

function modelLibrary(library: NonNullable<FakeModelHostOptions['library']>): FakeFile {
  return {
    contentType: 'application/wasm',
    body: library === 'stub-runtime' ? stubRuntimeWasm(STUB_RUNTIME_ERROR) : Buffer.from('<!doctype html>'),
  };
}

function json(value: unknown): FakeFile {
  return { contentType: 'application/json', body: Buffer.from(JSON.stringify(value)) };
}

/** Shaped like the real mlc-chat-config.json of Mistral 7B v0.3: what WebLLM reads before the library runs. */
function chatConfig(): Record<string, unknown> {
  return {
    version: '0.1.0',
    model_type: 'mistral',
    quantization: 'q4f32_1',
    vocab_size: 32768,
    context_window_size: 32768,
    sliding_window_size: -1,
    prefill_chunk_size: 1024,
    attention_sink_size: -1,
    tensor_parallel_shards: 1,
    temperature: 1,
    presence_penalty: 0,
    frequency_penalty: 0,
    repetition_penalty: 1,
    top_p: 1,
    tokenizer_files: ['tokenizer.json'],
    tokenizer_info: { token_postproc_method: 'byte_fallback', prepend_space_in_encode: true },
    conv_template: {
      name: 'mistral_default',
      system_template: '[INST] {system_message}',
      system_message: '',
      roles: { user: '[INST]', assistant: '[/INST]' },
      role_templates: {},
      messages: [],
      seps: [' '],
      role_content_sep: ' ',
      role_empty_sep: '',
      stop_str: ['</s>'],
      system_prefix_token_ids: [1],
      stop_token_ids: [2],
      add_role_after_system_message: false,
    },
    pad_token_id: 0,
    bos_token_id: 1,
    eos_token_id: 2,
  };
}

/** The smallest tokenizer Hugging Face's tokenizers (WebLLM's web-tokenizers) accepts. */
const TOKENIZER = {
  version: '1.0',
  truncation: null,
  padding: null,
  added_tokens: [],
  normalizer: null,
  pre_tokenizer: { type: 'Whitespace' },
  post_processor: null,
  decoder: null,
  model: { type: 'WordLevel', vocab: { '<unk>': 0, '<s>': 1, '</s>': 2, hello: 3 }, unk_token: '<unk>' },
};

/** A weight index in tvmjs's format whose shards list no tensors: WebLLM downloads and re-reads them, nothing more. */
function tensorCacheIndex(shardNames: readonly string[], shardBytes: number): Record<string, unknown> {
  return {
    metadata: { ParamSize: 0, ParamBytes: shardNames.length * shardBytes, BitsPerParam: 5 },
    records: shardNames.map((dataPath) => ({ dataPath, format: 'raw-shard', nbytes: shardBytes, records: [] })),
  };
}

// --- The stub model library, assembled byte by byte (WebAssembly binary format 1.0) ---

const I32 = 0x7f;
const OP = {
  end: 0x0b,
  localGet: 0x20,
  globalGet: 0x23,
  globalSet: 0x24,
  i32Store: 0x36,
  i32Const: 0x41,
  i32Add: 0x6a,
  i32And: 0x71,
} as const;
const ERROR_ADDRESS = 1024;
const HEAP_START = 8192;
const MEMORY_PAGES = 64;

/**
 * The exports tvmjs's `Instance` needs to start (memory, `_initialize`, `TVMWasmAllocSpace`/`FreeSpace`) and to look
 * up, create and register packed functions and type indices; each lookup hands out a fresh non-zero handle. Every
 * packed-function call fails with `message`, which tvmjs reads through `TVMFFIWasmGetLastError`.
 */
function stubRuntimeWasm(message: string): Buffer {
  // Globals: 0 = the bump allocator's next free address, 1 = the last handle handed out.
  const nextHandle = [OP.globalGet, 1, OP.i32Const, 1, OP.i32Add, OP.globalSet, 1, OP.globalGet, 1];
  const storeHandleAtArg1 = [OP.localGet, 1, ...nextHandle, OP.i32Store, 2, 0, OP.i32Const, 0];
  const functions: { name: string; params: number; results: number; body: number[] }[] = [
    { name: '_initialize', params: 0, results: 0, body: [] },
    {
      name: 'TVMWasmAllocSpace',
      params: 1,
      results: 1,
      body: [
        OP.globalGet,
        0,
        OP.globalGet,
        0,
        OP.localGet,
        0,
        OP.i32Const,
        15,
        OP.i32Add,
        OP.i32Const,
        ...sleb(-16),
        OP.i32And,
        OP.i32Add,
        OP.globalSet,
        0,
      ],
    },
    { name: 'TVMWasmFreeSpace', params: 1, results: 0, body: [] },
    { name: 'TVMFFIWasmGetLastError', params: 0, results: 1, body: [OP.i32Const, ...sleb(ERROR_ADDRESS)] },
    { name: 'TVMFFIFunctionGetGlobal', params: 2, results: 1, body: storeHandleAtArg1 },
    { name: 'TVMFFIWasmFunctionCreate', params: 2, results: 1, body: storeHandleAtArg1 },
    { name: 'TVMFFITypeKeyToIndex', params: 2, results: 1, body: storeHandleAtArg1 },
    { name: 'TVMFFIFunctionSetGlobal', params: 3, results: 1, body: [OP.i32Const, 0] },
    { name: 'TVMFFIObjectIncRef', params: 1, results: 1, body: [OP.i32Const, 0] },
    { name: 'TVMFFIObjectDecRef', params: 1, results: 1, body: [OP.i32Const, 0] },
    { name: 'TVMFFIFunctionCall', params: 4, results: 1, body: [OP.i32Const, ...sleb(-1)] },
  ];

  const signatures: string[] = [];
  const typeOf = (params: number, results: number): number => {
    const key = `${params}:${results}`;
    if (!signatures.includes(key)) signatures.push(key);
    return signatures.indexOf(key);
  };
  const functionTypes = functions.map((fn) => typeOf(fn.params, fn.results));

  const typeSection = vector(
    signatures.map((key) => {
      const [params, results] = key.split(':').map(Number) as [number, number];
      return [
        0x60,
        ...vector(Array.from({ length: params }, () => [I32])),
        ...vector(Array.from({ length: results }, () => [I32])),
      ];
    }),
  );
  const functionSection = vector(functionTypes.map((type) => uleb(type)));
  const memorySection = vector([[0x00, ...uleb(MEMORY_PAGES)]]);
  const globalSection = vector([
    [I32, 0x01, OP.i32Const, ...sleb(HEAP_START), OP.end],
    [I32, 0x01, OP.i32Const, 0, OP.end],
  ]);
  const exportSection = vector([
    [...name('memory'), 0x02, 0],
    ...functions.map((fn, index) => [...name(fn.name), 0x00, ...uleb(index)]),
  ]);
  const codeSection = vector(
    functions.map((fn) => {
      const body = [0x00, ...fn.body, OP.end];
      return [...uleb(body.length), ...body];
    }),
  );
  const errorBytes = [...Buffer.from(`${message}\0`, 'utf8')];
  const dataSection = vector([
    [0x00, OP.i32Const, ...sleb(ERROR_ADDRESS), OP.end, ...uleb(errorBytes.length), ...errorBytes],
  ]);

  return Buffer.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, typeSection),
    ...section(3, functionSection),
    ...section(5, memorySection),
    ...section(6, globalSection),
    ...section(7, exportSection),
    ...section(10, codeSection),
    ...section(11, dataSection),
  ]);
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(text: string): number[] {
  const bytes = [...Buffer.from(text, 'utf8')];
  return [...uleb(bytes.length), ...bytes];
}

function uleb(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (rest !== 0);
  return bytes;
}

function sleb(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}
