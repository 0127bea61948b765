import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Limiter } from '../../../activities/session/limiter.js';

test('the limiter runs at most `limit` jobs at once, in arrival order', async () => {
  const l = new Limiter(2);
  let running = 0;
  let peak = 0;
  const order: number[] = [];
  const gates: Array<() => void> = [];
  const jobs = [0, 1, 2, 3, 4].map((i) =>
    l.run(async () => {
      running++;
      peak = Math.max(peak, running);
      order.push(i);
      await new Promise<void>((r) => gates.push(r));
      running--;
      return i;
    }),
  );
  while (order.length < 5) {
    await new Promise((r) => setImmediate(r));
    gates.shift()?.();
  }
  gates.forEach((g) => g());
  assert.deepEqual(await Promise.all(jobs), [0, 1, 2, 3, 4]);
  assert.deepEqual(order, [0, 1, 2, 3, 4]);
  assert.equal(peak, 2);
});
