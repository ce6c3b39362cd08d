import { describe, expect, it } from 'vitest';
import { readWhole } from './numbers';

describe('whole numbers as typed', () => {
  it('reads whole numbers, empty as nothing, and refuses the rest', () => {
    expect(readWhole(' 12 ')).toBe(12);
    expect(readWhole('-3')).toBe(-3);
    expect(readWhole('')).toBeNull();
    for (const bad of ['2.5', '1,5', 'abc', '1e3', '12345678901']) expect(readWhole(bad), bad).toBeUndefined();
  });
});
