import { defineConfig } from 'vite';

// @huggingface/inference has no `sideEffects` field, so without this one imported function drags in every provider
// (~99 KB gz). Declaring the package side-effect free lets rolldown keep only what the hosted engine uses.
const HUGGING_FACE_SIDE_EFFECT_FREE = { test: /node_modules[\\/]@huggingface[\\/]/, sideEffects: false };

export default defineConfig({
  build: {
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: {
      treeshake: {
        moduleSideEffects: [HUGGING_FACE_SIDE_EFFECT_FREE],
      },
    },
  },
  worker: {
    format: 'es',
  },
  server: {
    port: 5173,
  },
  preview: {
    port: 4173,
  },
});
