import { z } from 'zod';
import { SettingsSchema } from './shared/contract';
console.log(JSON.stringify(z.toJSONSchema(SettingsSchema, { target: 'draft-2020-12', unrepresentable: 'any' }), null, 1).slice(0, 1500));
