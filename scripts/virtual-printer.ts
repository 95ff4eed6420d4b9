import { VirtualPrinter } from '../electron/core/printing/virtual-printer';

/**
 * A virtual ESC/POS printer for trying the app by hand (docs/printing.md): listens on 127.0.0.1
 * and prints each receipt it receives (an image receipt as its size), with its cuts and drawer
 * openings, to the terminal.
 * `npm run virtual-printer -- --port 9100 [--paper-out] [--silent] [--hang-up-after 200]`
 */
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const hangUp = arg('--hang-up-after');
const printer = new VirtualPrinter({
  paperOut: process.argv.includes('--paper-out'),
  silent: process.argv.includes('--silent'),
  ...(hangUp ? { hangUpAfter: Number(hangUp) } : {}),
});
const port = await printer.start(Number(arg('--port') ?? 9100));
console.log(`virtual ESC/POS printer on 127.0.0.1:${port}`);
let shown = 0;
setInterval(() => {
  for (const job of printer.jobs.slice(shown)) {
    if (!job.closed) break;
    shown++;
    const d = job.decoder;
    console.log(`--- job ${shown}: ${job.bytes.length} bytes, ${d.cuts} cut(s), ${d.drawerKicks} drawer opening(s)${job.cutOff ? ', cut off' : ''}`);
    for (const l of d.lines) console.log(`| ${l}`);
    for (const img of d.images) console.log(`| [image ${img.width} × ${img.rows} dots in ${img.bands} band(s)]`);
  }
}, 300);
