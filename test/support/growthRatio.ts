/**
 * How much more work `run` does when its input grows: cost(large) / cost(small), for tests that check
 * scaling (linear, not quadratic or catastrophic) without a wall-clock budget, which a loaded machine breaks.
 * Grow the input 4×: linear code gives about 4, quadratic about 16. Size `small` to a millisecond or more so
 * that fixed costs do not flatten the ratio.
 * The cost is this thread's CPU time, so other processes on the machine do not count: a thread waiting for
 * a core spends none. The runs alternate, and the cheapest of `reps` counts (cache misses and GC only add).
 */
export function growthRatio<T>(run: (input: T) => unknown, small: T, large: T, reps = 5): number {
  run(small) // warm up: the first calls are interpreted, later ones compiled
  run(large)
  let cheapestSmall = Infinity
  let cheapestLarge = Infinity
  let mark = cpuMicros()
  const cost = (input: T): number => {
    run(input)
    const from = mark
    mark = cpuMicros()
    return mark - from
  }
  for (let i = 0; i < reps; i++) {
    cheapestSmall = Math.min(cheapestSmall, cost(small))
    cheapestLarge = Math.min(cheapestLarge, cost(large))
  }
  return cheapestLarge / Math.max(cheapestSmall, 1)
}

const cell = new Int32Array(new SharedArrayBuffer(4))

/**
 * This thread's CPU time. Linux adds a running thread's time to the counter only at a clock tick (4 ms) or
 * when it leaves the core, so a 1 ms sleep first makes the reading exact to the microsecond.
 */
function cpuMicros(): number {
  Atomics.wait(cell, 0, 0, 1)
  const used = process.threadCpuUsage()
  return used.user + used.system
}
