/**
 * No circle among source files, type-only imports included: a cycle means two modules that can
 * only be understood (and loaded) together. Uses dpdm's parser; exits 1 and lists each circle.
 */
import { parseDependencyTree, parseCircular, prettyCircular } from 'dpdm';
import { featureCycles, KNOWN_FEATURE_CYCLES, newFeatureCycles } from './feature-cycles';

const tree = await parseDependencyTree(['shared/**/*.ts', 'renderer/**/*.{ts,tsx}', 'electron/**/*.ts'], {
  context: process.cwd(),
  extensions: ['.ts', '.tsx', '.js'],
  js: ['.ts', '.tsx', '.js'],
  include: /\.(ts|tsx|js)$/,
  exclude: /node_modules/,
  tsconfig: undefined,
  transform: false,
  skipDynamicImports: false,
});
const circles = parseCircular(tree);
if (circles.length) {
  console.error(`${circles.length} import cycle(s):\n${prettyCircular(circles)}`);
  process.exit(1);
}
console.log(`No import cycle among ${Object.keys(tree).length} files.`);

// Folder level: the core's features (scripts/feature-cycles.ts).
const groups = featureCycles(tree);
const fresh = newFeatureCycles(groups);
if (fresh.length) {
  console.error(`New circle(s) among the core's features:\n${fresh.map((g) => `  ${g.join(' <-> ')}`).join('\n')}`);
  process.exit(1);
}
const gone = KNOWN_FEATURE_CYCLES.filter((k) => !groups.some((g) => k.every((f) => g.includes(f))));
if (gone.length) console.log(`Known feature circle(s) now broken: remove from KNOWN_FEATURE_CYCLES: ${gone.map((g) => g.join(', ')).join('; ')}`);
console.log(`Feature circles: ${groups.length ? groups.map((g) => g.join(' <-> ')).join('; ') : 'none'} (none new).`);
