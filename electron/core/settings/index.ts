// The settings feature's public face: other features import from here only.
export { MemorySettingsStore } from './defaults';
export { describeSettingChange } from './handlers';
