/**
 * Arabic-Indic (٠–٩) and Extended Arabic-Indic (۰–۹) digits as ASCII 0–9, nothing else changed:
 * a desk types with either digit set, and a number, a quantity or a PIN means the same in both.
 */
export function asciiDigits(input: string): string {
  return input.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => {
    const c = d.charCodeAt(0);
    return String(c - (c >= 0x06f0 ? 0x06f0 : 0x0660));
  });
}

/** ASCII 0–9 as Arabic-Indic digits (٠–٩). */
export function arabicIndicDigits(input: string): string {
  return input.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + d.charCodeAt(0) - 48));
}

/** Two PINs typed for one (set and confirm): the same whichever digit set each was typed in. */
export function samePin(a: string, b: string): boolean {
  return asciiDigits(a) === asciiDigits(b);
}
