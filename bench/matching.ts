// Offer matching: 10,000 waiting demands against 100 offers, one full
// matchDemands call (placements and no-fit reasons) per offer cycle. Also a
// baseline on a smaller sample: a naive matcher that builds Resource objects
// for every demand-offer pair and decides with the generic
// containsResources/subtractResources, against the fast matcher on the same
// sample (same placements, checked).
import { performance } from 'node:perf_hooks';
import { matchDemands } from '../mesos/matching.js';
import { makeWorkload } from './lib/matching-workload.js';
import { naiveMatch } from './lib/naive-matcher.js';
import { median, quantile } from './lib/stats.js';

const DEMANDS = 10_000;
const OFFERS = 100;
const WARMUP = 10;
const CYCLES = 50;
const BASELINE_DEMANDS = 1_000;
const BASELINE_CYCLES = 3;

function timeCycles(cycles: number, fn: () => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < cycles; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out;
}

const fmt = (x: number): string => x.toFixed(3);

export async function run(): Promise<void> {
  const { demands, offers } = makeWorkload({ demands: DEMANDS, offers: OFFERS });

  const once = matchDemands(demands, offers);
  const placed = once.matches.reduce((n, m) => n + m.placements.length, 0);
  const unmatched = once.unmatched.length;
  const withReasons = once.unmatched.filter((u) => u.reasons.length > 0).length;
  const cycle = (): void => void matchDemands(demands, offers);
  timeCycles(WARMUP, cycle);
  const times = timeCycles(CYCLES, cycle).sort((a, b) => a - b);

  const noReasons = (): void => void matchDemands(demands, offers, { explain: false });
  timeCycles(WARMUP, noReasons);
  const timesNoReasons = timeCycles(CYCLES, noReasons);

  // Baseline: role-free sample the naive matcher understands.
  const sample = makeWorkload({ demands: BASELINE_DEMANDS, offers: OFFERS, roles: false, seed: 7 });
  const naive = naiveMatch(sample.demands, sample.offers);
  const fast = matchDemands(sample.demands, sample.offers);
  const same = JSON.stringify(naive.matches.map((m) => m.placements.map((p) => p.demandId))) === JSON.stringify(fast.matches.map((m) => m.placements.map((p) => p.demandId)));
  if (!same) throw new Error('baseline check failed: the naive and the fast matcher placed the sample differently');
  const naiveTimes = timeCycles(BASELINE_CYCLES, () => void naiveMatch(sample.demands, sample.offers));
  timeCycles(WARMUP, () => void matchDemands(sample.demands, sample.offers));
  const fastTimes = timeCycles(CYCLES, () => void matchDemands(sample.demands, sample.offers));
  const naiveMedian = median(naiveTimes);
  const fastMedian = median(fastTimes);

  const lines: Array<[string, string | number]> = [
    ['demands', DEMANDS],
    ['offers', OFFERS],
    ['cycles', CYCLES],
    ['placed_per_cycle', placed],
    ['unmatched_per_cycle', unmatched],
    ['unmatched_with_reasons_per_cycle', withReasons],
    ['min_ms_per_cycle', fmt(times[0] as number)],
    ['p95_ms_per_cycle', fmt(quantile(times, 0.95))],
    ['max_ms_per_cycle', fmt(times[times.length - 1] as number)],
    ['median_ms_per_cycle_without_reasons', fmt(median(timesNoReasons))],
    ['baseline_demands', BASELINE_DEMANDS],
    ['baseline_offers', OFFERS],
    ['baseline_placed', naive.matches.reduce((n, m) => n + m.placements.length, 0)],
    ['baseline_naive_cycles', BASELINE_CYCLES],
    ['baseline_naive_median_ms_per_cycle', fmt(naiveMedian)],
    ['baseline_fast_median_ms_per_cycle', fmt(fastMedian)],
    ['baseline_speedup_ratio', (naiveMedian / fastMedian).toFixed(1)],
    ['median_ms_per_cycle', fmt(median(times))],
  ];
  for (const [k, v] of lines) console.log(`${k}: ${v}`);
}
