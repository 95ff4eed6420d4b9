import Conf from 'conf';
import { ContractError, DEFAULT_PRINTER_CONFIG, PrinterConfigSchema, type PrinterConfig } from '../../../shared/contract';
import { privateDir } from '../../gateway/private-files';

/**
 * This desk's receipt printer (docs/printing.md): a station setting, not shop-wide, in its own
 * small file (printer.json beside settings.json) so a desk's printer never travels with the
 * shop's settings. Validated by the contract's schema on every read and write.
 */
export interface PrinterConfigStore {
  get(): PrinterConfig;
  set(config: PrinterConfig): PrinterConfig;
}

function validated(value: unknown): PrinterConfig {
  const r = PrinterConfigSchema.safeParse(value);
  if (!r.success) throw new ContractError('VALIDATION', 'The printer settings are not valid', Object.fromEntries(r.error.issues.slice(0, 20).map((i) => [i.path.join('.') || '_', i.message])));
  return r.data;
}

export class ConfPrinterConfigStore implements PrinterConfigStore {
  private readonly conf: Conf<{ printer: PrinterConfig }>;
  constructor(dataDir: string) {
    privateDir(dataDir);
    this.conf = new Conf<{ printer: PrinterConfig }>({
      configName: 'printer',
      cwd: dataDir,
      defaults: { printer: structuredClone(DEFAULT_PRINTER_CONFIG) },
      clearInvalidConfig: false,
      accessPropertiesByDotNotation: false,
      configFileMode: 0o600,
    });
  }
  get(): PrinterConfig {
    return validated(this.conf.get('printer'));
  }
  set(config: PrinterConfig): PrinterConfig {
    this.conf.set('printer', validated(config));
    return this.get();
  }
}

export class MemoryPrinterConfigStore implements PrinterConfigStore {
  private value: PrinterConfig;
  constructor(initial: Partial<PrinterConfig> = {}) {
    this.value = validated({ ...DEFAULT_PRINTER_CONFIG, ...initial });
  }
  get(): PrinterConfig {
    return structuredClone(this.value);
  }
  set(config: PrinterConfig): PrinterConfig {
    this.value = validated(config);
    return this.get();
  }
}
