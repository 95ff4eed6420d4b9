/**
 * No circle among source files, type-only imports included: a cycle means two modules that can
 * only be understood (and loaded) together. Uses dpdm's parser; exits 1 and lists each circle.
 */
import { parseDependencyTree, parseCircular, prettyCircular } from 'dpdm';

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
