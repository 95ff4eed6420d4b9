/**
 * Prints the operation state diagram (mermaid) rendered from the state machine's table, for
 * docs/architecture.md: `npx tsx scripts/state-diagram.ts`. operation-states.test.ts fails when
 * the doc's block differs from this output.
 */
import { stateDiagram } from '../electron/core/payments/operation-states';

console.log('```mermaid');
console.log(stateDiagram());
console.log('```');
