import fc from "fast-check";

/**
 * Strings an attacker sends: any text, any grapheme, any UTF-16 (lone surrogate halves included: text a
 * database cannot store must be refused, never a 500), and the suite's own `constants`.
 */
export function hostileStrings(constants: readonly string[]) {
  return fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "grapheme", maxLength: 20 }),
    fc.string({ unit: "binary", maxLength: 20 }),
    fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 12 }).map((units) => String.fromCharCode(...units)),
    fc.constantFrom(...constants),
  );
}
