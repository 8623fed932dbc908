// The main thread's CPU profile of a measured run (BENCH_PROFILE=1): saved for Chrome's Performance panel, and
// summed up in the log as the functions with the most self time, so "profile first" is one flag away.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { log, RESULTS, ROOT } from './support.mjs';

const TOP = 25;

export async function startProfile(cdp) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: Number(process.env.BENCH_PROFILE_INTERVAL_US ?? 200) });
  await cdp.send('Profiler.start');
  return true;
}

export async function saveProfile(cdp, name) {
  const { profile } = await cdp.send('Profiler.stop');
  await mkdir(RESULTS, { recursive: true });
  const file = join(RESULTS, `${name}-${Date.now()}.cpuprofile`);
  await writeFile(file, JSON.stringify(profile));
  log(`  profile: ${relative(ROOT, file)}`);
  for (const line of topSelfTime(profile)) log(`    ${line}`);
}

/** The functions with the most self time, by name and script, idle and program time left out. */
function topSelfTime(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map();
  const deltas = profile.timeDeltas ?? [];
  for (let index = 0; index < profile.samples.length; index++) {
    const node = byId.get(profile.samples[index]);
    const next = deltas[index + 1] ?? 0;
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${url.split('/').pop() ?? ''}:${lineNumber + 1}`;
    selfMs.set(key, (selfMs.get(key) ?? 0) + next / 1000);
  }
  const total = [...selfMs].filter(([key]) => !key.startsWith('(idle)')).reduce((sum, [, ms]) => sum + ms, 0);
  return [
    `total sampled (not idle): ${total.toFixed(0)} ms`,
    ...[...selfMs]
      .filter(([key]) => !key.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([key, ms]) => `${ms.toFixed(0).padStart(6)} ms  ${key}`),
  ];
}

/**
 * Time so far, in ms: all main-thread tasks, the script / layout / style parts of them, and the CPU time of the
 * whole renderer process (every thread, workers included).
 */
export async function mainThreadMs(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const seconds = Object.fromEntries(metrics.map((metric) => [metric.name, metric.value]));
  if (seconds.TaskDuration === undefined) throw new Error('CDP Performance.getMetrics has no TaskDuration');
  return {
    task: seconds.TaskDuration * 1000,
    script: (seconds.ScriptDuration ?? 0) * 1000,
    layout: (seconds.LayoutDuration ?? 0) * 1000,
    style: (seconds.RecalcStyleDuration ?? 0) * 1000,
    process: (seconds.ProcessTime ?? 0) * 1000,
    thread: (seconds.ThreadTime ?? 0) * 1000,
  };
}

const TRACE_CATEGORIES = [
  'toplevel',
  'mojom',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
];

/**
 * Starts a trace of the page (BENCH_TRACE=1): where main-thread time goes beyond the script, style and layout that
 * Performance.getMetrics splits out (paint, compositing, tasks posted by the browser).
 */
export async function startTrace(cdp) {
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  await cdp.send('Tracing.start', { categories: TRACE_CATEGORIES.join(','), transferMode: 'ReportEvents' });
  return events;
}

/**
 * Stops the trace, saves it (bench/results/trace-*.json, for Chrome's Performance panel) and logs, for the main thread: its tasks by what posted them, its frames (how many, how long, and
 * what a few of the long ones spent their time on), and self time by event name.
 */
export async function summarizeTrace(cdp, events) {
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  await done;
  await mkdir(RESULTS, { recursive: true });
  const file = join(RESULTS, `trace-${Date.now()}.json`);
  await writeFile(file, JSON.stringify({ traceEvents: events }));
  log(`  trace: ${relative(ROOT, file)}`);
  const mainThread = events.find((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain');
  if (!mainThread) return log('  trace: no main thread found');
  const slices = events
    .filter((event) => event.ph === 'X' && event.pid === mainThread.pid && event.tid === mainThread.tid)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const selfUs = new Map();
  const bySource = new Map();
  const open = [];
  for (const slice of slices) {
    while (open.length > 0 && open.at(-1).ts + open.at(-1).dur <= slice.ts) open.pop();
    const parent = open.at(-1);
    if (parent) selfUs.set(parent.name, (selfUs.get(parent.name) ?? 0) - slice.dur);
    selfUs.set(slice.name, (selfUs.get(slice.name) ?? 0) + slice.dur);
    // A task's first child says which code posted it (src_file, src_func) and, for IPC, which interface.
    if (open.length === 1) {
      const source = slice.args?.src_func ? `${slice.args.src_file}: ${slice.args.src_func}` : slice.name;
      const entry = bySource.get(source) ?? { count: 0, us: 0 };
      bySource.set(source, { count: entry.count + 1, us: entry.us + slice.dur });
    }
    if (open.length === 2 && open[1].args?.src_func === 'Notify' && slice.args?.chrome_mojo_event_info) {
      const tag = slice.args.chrome_mojo_event_info.watcher_notify_interface_tag ?? '?';
      const entry = bySource.get(`  mojo ${tag}`) ?? { count: 0, us: 0 };
      bySource.set(`  mojo ${tag}`, { count: entry.count + 1, us: entry.us + open[1].dur });
    }
    open.push(slice);
  }
  const ms = (us) => (us / 1000).toFixed(0).padStart(6);
  log('  trace, main-thread tasks by what posted them:');
  for (const [source, { count, us }] of [...bySource].sort((a, b) => b[1].us - a[1].us).slice(0, 12))
    log(`    ${ms(us)} ms ×${count}  ${source}`);
  logFrames(slices);
  log('  trace, main-thread self time by event:');
  for (const [name, us] of [...selfUs].sort((a, b) => b[1] - a[1]).slice(0, 15)) log(`    ${ms(us)} ms  ${name}`);
}

function logFrames(slices) {
  const frames = slices.filter((slice) => slice.args?.src_func === 'ScheduledActionSendBeginMainFrame');
  const durations = frames.map((frame) => frame.dur / 1000).sort((a, b) => a - b);
  const at = (fraction) => durations[Math.floor(fraction * (durations.length - 1))]?.toFixed(1);
  log(`  trace, ${frames.length} frames (ms): p25 ${at(0.25)}, p50 ${at(0.5)}, p75 ${at(0.75)}, max ${at(1)}`);
  const long = frames.filter((frame) => frame.dur > 10_000);
  for (const frame of long.filter((_, index) => index % Math.max(1, Math.floor(long.length / 6)) === 0)) {
    const inside = slices.filter((slice) => slice.ts >= frame.ts && slice.ts < frame.ts + frame.dur);
    const sum = (name) =>
      inside
        .filter((slice) => slice.name === name)
        .reduce((total, slice) => total + slice.dur / 1000, 0)
        .toFixed(1);
    const layouts = inside
      .filter((slice) => slice.name === 'Layout')
      .map((slice) => `${slice.args.beginData.dirtyObjects}/${slice.args.beginData.totalObjects}`);
    log(
      `    a ${(frame.dur / 1000).toFixed(1)} ms frame: animation frame callbacks ${sum('FireAnimationFrame')}, ` +
        `style ${sum('UpdateLayoutTree')}, layout ${sum('Layout')} (dirty/total objects ${layouts.join(', ')}), ` +
        `pre-paint ${sum('PrePaint')}, paint ${sum('Paint')}, layerize ${sum('Layerize')}, commit ${sum('Commit')}`,
    );
  }
}
