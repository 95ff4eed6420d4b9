// Types for what tests import from eslint.config.js.
import type { Linter } from 'eslint';

export const TYPE_AWARE_RULES: Linter.RulesRecord;
declare const config: Linter.Config[];
export default config;
