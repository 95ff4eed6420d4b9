/**
 * mulberry32: a small, fast seeded generator for test data, the simulator and the soak's choices
 * (not for anything secret). Its sequence is part of what seeds reproduce: generated customers
 * (and so the bench dataset), simulator traces and soak runs. Changing it changes all of those.
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
