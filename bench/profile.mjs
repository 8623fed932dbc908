// The main thread's CPU profile of a measured run (BENCH_PROFILE=1): saved for Chrome's Performance panel, and
// summed up in the log as the functions with the most self time, so "profile first" is one flag away.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { log, RESULTS, ROOT } from './support.mjs';

const TOP = 25;

export async function startProfile(cdp) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
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
  };
}
