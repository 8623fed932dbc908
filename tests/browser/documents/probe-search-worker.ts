// The real search worker, with the network spy installed before any of its modules run (imports evaluate in order).
import './install-worker-spy.js';
import '../../../src/documents/search-worker.js';
