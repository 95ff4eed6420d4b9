import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { ConfirmationService } from '../confirmations';
import { faultSpecSchema, type FaultRegistry } from '../faults';
import { parseJsonObject, readBody, sendJson } from '../http';
import type { ControlState } from '../control';
import type { OffsetClock } from '../clock';
import type { SandboxControl } from '../types';

/**
 * /__sandbox/*: the SandboxControl over HTTP, for e2e tests and other processes. These routes
 * keep working while the paymentApi is "unreachable". They have no authentication: the sandbox
 * listens on loopback only and holds test data only.
 */

export interface ControlRouteDeps {
  control: SandboxControl;
  faults: FaultRegistry;
  clock: OffsetClock;
  state: ControlState;
  confirmations: ConfirmationService;
}

const reachableSchema = z.object({ reachable: z.boolean() }).strict();
const clockSchema = z.union([
  z.object({ advanceMs: z.number().int() }).strict(),
  z.object({ set: z.iso.datetime({ offset: true }) }).strict(),
]);

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const body = await readBody(req);
  return body.ok ? parseJsonObject(body.text || '{}') : undefined;
}

function badRequest(res: ServerResponse, error: z.ZodError | string): void {
  sendJson(res, 400, { error: 'bad_request', message: typeof error === 'string' ? error : z.prettifyError(error) });
}

function clockJson(clock: OffsetClock): { now: string; offsetMs: number } {
  return { now: clock.now().toISOString(), offsetMs: clock.offset };
}

/** Handles a /__sandbox/ path; false when the path is not a control route. */
export async function handleControl(deps: ControlRouteDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const route = `${req.method ?? 'GET'} ${url.pathname.replace(/\/$/, '')}`;
  switch (route) {
    case 'GET /__sandbox/health':
      sendJson(res, 200, { ok: true, reachable: deps.state.reachable, ...clockJson(deps.clock), operations: deps.control.operationCount() });
      return true;
    case 'GET /__sandbox/faults':
      sendJson(res, 200, { faults: deps.faults.list() });
      return true;
    case 'POST /__sandbox/faults': {
      const parsed = faultSpecSchema.safeParse(await jsonBody(req));
      if (!parsed.success) badRequest(res, parsed.error);
      else {
        deps.control.injectFault(parsed.data);
        sendJson(res, 201, { faults: deps.faults.list() });
      }
      return true;
    }
    case 'DELETE /__sandbox/faults':
      deps.control.clearFaults();
      sendJson(res, 200, { faults: [] });
      return true;
    case 'POST /__sandbox/reachable': {
      const parsed = reachableSchema.safeParse(await jsonBody(req));
      if (!parsed.success) badRequest(res, parsed.error);
      else {
        deps.control.setReachable(parsed.data.reachable);
        sendJson(res, 200, { reachable: deps.state.reachable });
      }
      return true;
    }
    case 'GET /__sandbox/clock':
      sendJson(res, 200, clockJson(deps.clock));
      return true;
    case 'POST /__sandbox/clock': {
      const parsed = clockSchema.safeParse(await jsonBody(req));
      if (!parsed.success) badRequest(res, parsed.error);
      else {
        if ('advanceMs' in parsed.data) deps.clock.advance(parsed.data.advanceMs);
        else deps.clock.set(new Date(parsed.data.set));
        sendJson(res, 200, clockJson(deps.clock));
      }
      return true;
    }
    case 'GET /__sandbox/orders': {
      const reference = url.searchParams.get('merchant_reference');
      const merchant = url.searchParams.get('merchant_identifier') ?? undefined;
      const orders = reference ? [deps.control.order(reference, merchant)].filter((o) => o !== undefined) : deps.control.orders(merchant);
      sendJson(res, 200, { orders, operationCount: deps.control.operationCount() });
      return true;
    }
    case 'GET /__sandbox/emails':
      sendJson(res, 200, { emails: deps.confirmations.mailbox().map((row) => ({ ...deps.confirmations.toJson(row), link: `/confirm/${row.process_id}` })) });
      return true;
    default:
      return false;
  }
}
