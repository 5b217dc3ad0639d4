/**
 * Statistics shared by the bench files: every comparison is measured side by side in one process, in rounds
 * that alternate which side goes first, and is reported as the median over rounds with its spread. A verdict
 * ("faster", "target met") is given only when the whole interquartile range of the per-round figures is on one
 * side of the line; otherwise the result is "within noise".
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

/**
 * A full garbage collection, then a pause for V8's background threads to finish sweeping (their CPU counts in
 * process.cpuUsage and would land in the next measurement). Untimed, between measurements.
 */
export async function settledHeap() {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
}

export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

export function median(values) {
  return quantile(values, 0.5);
}

/** Median, quartiles and extremes of per-round figures. */
export function spread(values) {
  return {
    rounds: values.length,
    median: quantile(values, 0.5),
    q1: quantile(values, 0.25),
    q3: quantile(values, 0.75),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/**
 * Runs `rounds` rounds; in each, every side's `measure()` runs once, the order reversed every other round
 * (ABC, CBA, ...), so drift of a busy machine hits every side alike. Each measurement starts on a collected heap, so
 * no side pays for the garbage the one before it left (amazon-cognito-identity-js leaves megabytes per sign-in).
 * `measure` returns a number (or an object of numbers) for that round. Returns, per side, the per-round results.
 */
export async function alternate(sides, rounds) {
  const names = Object.keys(sides);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      await settledHeap();
      samples[name].push(await sides[name]());
    }
  }
  return samples;
}

/** Per-round ratios a[i] / b[i] (paired: the two were measured in the same round, next to each other). */
export function pairedRatios(a, b) {
  return a.map((value, i) => value / b[i]);
}

/**
 * "lower" / "higher" / "within noise" for a spread of per-round ratios against 1: a direction only when the
 * interquartile range excludes 1.
 */
export function direction(ratioSpread) {
  if (ratioSpread.q1 > 1) return 'higher';
  if (ratioSpread.q3 < 1) return 'lower';
  return 'within noise';
}

/**
 * Target check on a spread where lower is better (`upTo`) or higher is better (`atLeast`): "met" when the whole
 * interquartile range meets it, "missed" when the whole range misses it, else "within noise of the target".
 */
export function targetVerdict(s, target) {
  if (target.upTo !== undefined) {
    if (s.q3 <= target.upTo) return 'met';
    if (s.q1 > target.upTo) return 'missed';
  } else {
    if (s.q1 >= target.atLeast) return 'met';
    if (s.q3 < target.atLeast) return 'missed';
  }
  return 'within noise of the target';
}

export function cpuMicros(since) {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

/** CPU µs per call and wall µs per call of `count` calls of a synchronous `fn`. */
export function cpuPerCall(fn, count) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < count; i++) fn();
  return { cpuMicros: cpuMicros(cpu) / count, wallMicros: ((performance.now() - started) * 1000) / count };
}

/** Same for an async `fn`, awaited one call at a time. */
export async function cpuPerCallAsync(fn, count) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < count; i++) await fn();
  return { cpuMicros: cpuMicros(cpu) / count, wallMicros: ((performance.now() - started) * 1000) / count };
}

export function round(value, digits = 2) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** "1.23 (1.10–1.31)": median with the interquartile range. */
export function formatSpread(s, digits = 2, unit = '') {
  const f = (x) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return `${f(s.median)}${unit} (IQR ${f(s.q1)}–${f(s.q3)}${unit})`;
}

/** Calls per second of a synchronous `fn` that returns a promise (not awaited). */
export function syncRate(fn, calls) {
  let sink = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) {
    if (fn() !== undefined) sink++;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (sink !== calls) throw new Error('the hot path returned nothing');
  return calls / seconds;
}
