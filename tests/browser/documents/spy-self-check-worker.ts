// Proves the spy sees a worker's requests: installs it, then makes one request the test expects to hear of.
import './install-worker-spy.js';

void fetch(new URL('./spy-self-check-target.txt', import.meta.url)).catch(() => {});
