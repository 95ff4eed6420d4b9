export * from './channels';
export * from './errors';
export * from './schemas';
export * from './client';
export * from './gateway-accounts';
export * from './shop';
export * from './links';
export * from './bulk';
