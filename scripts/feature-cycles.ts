/**
 * Circles among the core's feature folders (electron/core/<feature>/): a file-level check passes
 * while payments imports cards and cards imports payments through other files, yet the two
 * features can then only be understood together. Groups of features that import each other
 * (strongly connected components of the folder graph) are returned, each sorted.
 */
export type ImportTree = Record<string, readonly { id: string | null }[] | null>;

const CORE = 'electron/core/';
const TEST = /(\.test\.tsx?|test-support\.ts|test-kit\.ts|test-harness\.ts|simulation\.ts|crash-child\.ts)$/;

function featureOf(file: string): string | null {
  if (!file.startsWith(CORE)) return null;
  const rest = file.slice(CORE.length).split('/');
  return rest.length > 1 ? rest[0]! : null;
}

export function featureGraph(tree: ImportTree): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const [file, deps] of Object.entries(tree)) {
    const from = featureOf(file);
    if (!from || TEST.test(file)) continue;
    if (!graph.has(from)) graph.set(from, new Set());
    for (const d of deps ?? []) {
      const to = d.id ? featureOf(d.id) : null;
      if (to && to !== from) graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** Tarjan's strongly connected components with more than one feature. */
export function featureCycles(tree: ImportTree): string[][] {
  const graph = featureGraph(tree);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) out.push(group.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/**
 * The circles the core still has: none since issue #16 (the features' needs of each other go
 * through electron/core/ports.ts). Any circle among features is new, and fails the lint.
 */
export const KNOWN_FEATURE_CYCLES: readonly (readonly string[])[] = [];

export function newFeatureCycles(found: string[][], known: readonly (readonly string[])[] = KNOWN_FEATURE_CYCLES): string[][] {
  return found.filter((group) => !known.some((k) => group.every((f) => k.includes(f))));
}
