export * from './channels';
export * from './errors';
export * from './schemas';
export * from './client';
export * from './shop';
