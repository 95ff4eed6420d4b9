import { create } from 'zustand';
import type { InputOf, Settings } from '../../../shared/contract';
import { call } from '../../lib/api';

interface SettingsState {
  settings: Settings | null;
  load: () => Promise<void>;
  update: (patch: InputOf<'settings.update'>) => Promise<Settings>;
}

export const useSettings = create<SettingsState>((set) => ({
  settings: null,
  load: async () => {
    const settings = await call('settings.get', {});
    set({ settings });
  },
  update: async (patch) => {
    const settings = await call('settings.update', patch);
    set({ settings });
    return settings;
  },
}));

/** The station's currency (USD until settings arrive). */
export function useCurrency(): string {
  return useSettings((s) => s.settings?.currency ?? 'USD');
}
