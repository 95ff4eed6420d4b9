/**
 * Known-wrong variants of a few decisions, switched on only by the simulation's planted-bug test
 * (simulation-planted.test.ts) to prove that the simulation's checks catch each of them within a
 * bounded number of seeds. Empty in the product: nothing outside that test ever adds to it.
 *
 *   refund-verdict    a refund the gateway never received (check status: not found) is judged
 *                     to have happened (the wrong verdict an earlier 5-seed run let through)
 *   capture-verdict   a capture is judged to have happened when the gateway's captured total did
 *                     not move (forgets to add this capture's amount)
 *   void-verdict      a void the gateway has no record of (status not 08/09) counts as done
 *   resend-sent       an operation left SENT (a crash while it was in flight) is sent again at
 *                     start-up without a status check (a second capture / refund)
 */
export type PlantedBug = 'refund-verdict' | 'capture-verdict' | 'void-verdict' | 'resend-sent';

export const PLANTED_BUGS: readonly PlantedBug[] = ['refund-verdict', 'capture-verdict', 'void-verdict', 'resend-sent'];

const planted = new Set<PlantedBug>();

export function isPlanted(bug: PlantedBug): boolean {
  return planted.size > 0 && planted.has(bug);
}

/** Test-only switch: plants `bug` (null: removes every planted bug). */
export function plantBug(bug: PlantedBug | null): void {
  if (bug === null) planted.clear();
  else planted.add(bug);
}
