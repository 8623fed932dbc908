/**
 * A few-line worker that says whether WebGPU exists inside a dedicated worker, where WebLLM runs (it reads
 * `navigator.gpu` there: `detectGPUDevice`). A browser may offer WebGPU to pages only; this is asked before the
 * user is offered a multi-gigabyte download, without loading the 6 MB model worker.
 */

const scope = globalThis as unknown as { navigator?: { gpu?: unknown }; postMessage(message: boolean): void };
scope.postMessage(scope.navigator?.gpu !== undefined);
