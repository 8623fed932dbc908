// Runs in the page before the app (`page.addInitScript(pageProbe, marker)`): the streaming rows' view from inside.
/**
 * Runs in the page before the app: records long tasks, the moments new text enters the DOM (how often a reader sees
 * the reply grow), and the moment the last token's marker does, including inside shadow roots (each one is observed
 * as it is attached). The observer's own time is measured so it can be subtracted from the main-thread total, and it
 * disconnects as soon as the marker is found.
 */
export function pageProbe(marker) {
  const state = {
    windowStart: Infinity,
    longestTaskMs: 0,
    longestTaskStart: 0,
    markerSeenAt: null,
    markerSeenAtLocal: null,
    observerMs: 0,
    /** When text was added, one entry per update: mutations less than UPDATE_GAP_MS apart are one render's. */
    textUpdates: [],
  };
  const UPDATE_GAP_MS = 8;
  /** What a mutation record brought in: the text node that changed, or the nodes added. */
  const changedNodes = (record) => (record.type === 'characterData' ? [record.target] : [...record.addedNodes]);
  const addsText = (record) => changedNodes(record).some((node) => (node.textContent ?? '').trim() !== '');
  const recordLongTasks = (entries) => {
    for (const entry of entries) {
      if (entry.startTime >= state.windowStart && entry.duration > state.longestTaskMs) {
        state.longestTaskMs = entry.duration;
        state.longestTaskStart = entry.startTime;
      }
    }
  };
  const longTasks = new PerformanceObserver((list) => recordLongTasks(list.getEntries()));
  longTasks.observe({ type: 'longtask', buffered: true });

  const containsMarker = (node) =>
    (node.nodeType === Node.TEXT_NODE ? node.data : (node.textContent ?? '')).includes(marker);
  const observer = new MutationObserver((records) => {
    const started = performance.now();
    if (state.windowStart !== Infinity) {
      const last = state.textUpdates.at(-1);
      if (records.some(addsText) && !(last !== undefined && started - last < UPDATE_GAP_MS)) {
        state.textUpdates.push(started);
      }
      for (const record of records) {
        const found = changedNodes(record).some(containsMarker);
        if (found) {
          state.markerSeenAtLocal = performance.now();
          state.markerSeenAt = performance.timeOrigin + state.markerSeenAtLocal;
          observer.disconnect();
          break;
        }
      }
    }
    state.observerMs += performance.now() - started;
  });
  const options = { subtree: true, childList: true, characterData: true };
  observer.observe(document, options);
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attachShadow.call(this, init);
    if (state.markerSeenAt === null) observer.observe(root, options);
    return root;
  };

  window.__bench = {
    start() {
      state.windowStart = performance.now();
      state.observerMs = 0;
      state.textUpdates = [];
    },
    get markerSeenAt() {
      return state.markerSeenAt;
    },
    result() {
      recordLongTasks(longTasks.takeRecords());
      return { ...state };
    },
  };
}
