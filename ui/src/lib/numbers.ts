// Whole numbers as people type them: "12", " 12 ", "-3". A decimal or a word
// is not a whole number; the form says so instead of sending it.

/** The number typed, null for nothing typed, undefined when it is not a whole number. */
export function readWhole(text: string): number | null | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (!/^-?\d{1,9}$/.test(trimmed)) return undefined;
  return Number(trimmed);
}
