/**
 * Catalogue namespaces no screen of the entry uses (sign-in, the shell, New order): they are not
 * loaded before the first screen but with the first other screen, or when the desk is idle
 * (app/screens.tsx), like those screens' code. Every other namespace loads before the first render.
 * No imports: vite.config.ts reads it too, to put these in their own chunk per language.
 */
export const LATER_NAMESPACES: readonly string[] = ['audit', 'bulk', 'catalog', 'gateway', 'queue', 'recurring', 'reports', 'shop', 'transactions'];
