import { z } from 'zod';
import { DEFAULT_PRINTER_PORT } from './limits';
import { Currency, Id, IsoTime, MinorUnits } from './schemas';

// Receipt printers and the cash drawer (issue #20, docs/printing.md). The printer is configured
// per station (this desk's printer, not the shop's): an ESC/POS thermal printer on TCP 9100, or on
// a USB port as a Linux character device.

/** Paper widths: characters per line in the printer's font A (80 mm: 48, 58 mm: 32). */
export const PAPER_COLUMNS = { '80mm': 48, '58mm': 32 } as const;
export const PaperWidth = z.enum(['80mm', '58mm']);
export type PaperWidth = z.infer<typeof PaperWidth>;

/** How the desk reaches its printer: the network (TCP 9100) or a USB port as a device path (Linux). */
export const PrinterConnection = z.enum(['network', 'usb']);
export type PrinterConnection = z.infer<typeof PrinterConnection>;

/** A USB printer's character device: only under /dev (the core writes raw bytes there; never a file elsewhere). */
export const DEVICE_PATH = /^\/dev\/(?!.*\.\.)[A-Za-z0-9._/-]{1,120}$/;

export const PrinterConfigSchema = z.object({
  /** Off: no thermal printer at this desk; the system print dialog stays. */
  enabled: z.boolean(),
  connection: PrinterConnection.default('network'),
  /** USB: the printer's device path, e.g. /dev/usb/lp0. */
  device: z.string().trim().max(130).refine((d) => d === '' || DEVICE_PATH.test(d), 'A device path under /dev, e.g. /dev/usb/lp0').default(''),
  host: z.string().trim().max(253).regex(/^[A-Za-z0-9.\-:[\]]*$/, 'A host name or IP address'),
  port: z.number({ error: 'A port number from 1 to 65535' }).int('A port number from 1 to 65535').min(1, 'A port number from 1 to 65535').max(65535, 'A port number from 1 to 65535'),
  width: PaperWidth,
  /** A cash drawer is plugged into the printer's drawer port (it opens on a cash tender). */
  drawer: z.boolean(),
  /** Print the receipt by itself after each sale. */
  autoPrint: z.boolean(),
}).strict()
  .refine((c) => !c.enabled || c.connection !== 'network' || c.host.length > 0, { message: 'The printer\'s host name or IP address', path: ['host'] })
  .refine((c) => !c.enabled || c.connection !== 'usb' || c.device.length > 0, { message: 'A device path under /dev, e.g. /dev/usb/lp0', path: ['device'] });
export type PrinterConfig = z.infer<typeof PrinterConfigSchema>;

export const DEFAULT_PRINTER_CONFIG: PrinterConfig = { enabled: false, connection: 'network', device: '', host: '', port: DEFAULT_PRINTER_PORT, width: '80mm', drawer: false, autoPrint: true };

/**
 * What happened at the printer. `problem` names the failure the screen explains: not_configured
 * (no printer at this desk), refused (nothing listening: off or wrong address), timeout (no
 * answer), disconnected (went away mid-receipt), paper_out (the printer says so).
 */
export const PrintProblem = z.enum(['not_configured', 'refused', 'unreachable', 'timeout', 'disconnected', 'paper_out']);
export type PrintProblem = z.infer<typeof PrintProblem>;

export const PrintOutcomeSchema = z.object({
  status: z.enum(['printed', 'failed', 'skipped']),
  problem: PrintProblem.nullable(),
  /** The technical detail (e.g. "ECONNREFUSED 10.0.0.9:9100"), shown under the plain sentence. */
  detail: z.string().max(300),
  drawerOpened: z.boolean(),
});
export type PrintOutcome = z.infer<typeof PrintOutcomeSchema>;

/** One tender of the order: each payment is one. A card shows brand and last 4, never more. */
export const ReceiptTenderSchema = z.object({
  paymentId: Id,
  method: z.enum(['card', 'cash']),
  amount: MinorUnits,
  brand: z.string().nullable(),
  last4: z.string().regex(/^\d{4}$/).nullable(),
  authorizationCode: z.string().nullable(),
  /** Our merchant reference and the gateway's (fort_id). */
  reference: z.string(),
  gatewayReference: z.string().nullable(),
  /** Cash only, when known: what the customer handed over and the change given. */
  tendered: MinorUnits.nullable(),
  change: MinorUnits.nullable(),
  refunded: MinorUnits,
});
export type ReceiptTender = z.infer<typeof ReceiptTenderSchema>;

/** A receipt as the ledger has it: built in the core, laid out for paper or screen. */
export const ReceiptModelSchema = z.object({
  shop: z.object({ name: z.string(), address: z.string(), station: z.string() }),
  orderId: Id,
  orderReference: z.string(),
  at: IsoTime,
  currency: Currency,
  customerName: z.string().nullable(),
  lines: z.array(z.object({ description: z.string(), quantity: z.number().int(), unitPrice: MinorUnits, taxRateBp: z.number().int(), amount: MinorUnits })),
  net: MinorUnits,
  tax: MinorUnits,
  total: MinorUnits,
  tenders: z.array(ReceiptTenderSchema),
});
export type ReceiptModel = z.infer<typeof ReceiptModelSchema>;

export const PrinterStateSchema = z.object({
  config: PrinterConfigSchema,
  columns: z.number().int(),
  /** The last job's outcome on this desk since start, for the settings panel. */
  last: PrintOutcomeSchema.extend({ at: IsoTime }).nullable(),
});

export const ReceiptPreviewSchema = z.object({
  model: ReceiptModelSchema,
  /** The receipt's lines in the printer's columns, one string per line (as text; see `image`). */
  lines: z.array(z.string()),
  columns: z.number().int(),
  /** The language printed: the station's. */
  language: z.enum(['en', 'ar']),
  /** The station's language could not be printed (the image could not be drawn) and English was printed instead. */
  fellBack: z.boolean(),
  /**
   * The receipt prints as an image (`GS v 0`): Arabic, or any text the code page cannot carry
   * (docs/printing.md). The exact dots the printer gets, as a PNG data URL.
   */
  image: z.object({ png: z.string().startsWith('data:image/png;base64,'), width: z.number().int(), height: z.number().int() }).nullable(),
});

export const PrintReceiptInput = z.object({
  paymentId: Id,
  /** The print right after the sale: follows auto-print and opens the drawer on a cash tender, once. */
  sale: z.boolean().default(false),
}).strict();
