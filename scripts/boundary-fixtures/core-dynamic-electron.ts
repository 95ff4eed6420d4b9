// as: electron/core/fixture.ts
export const load = async () => await import('electron'); // ✗ dynamic imports count too
