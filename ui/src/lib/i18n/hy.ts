// Armenian. The type makes a missing key a compile error; the catalogue test
// catches an extra one.
import type { MessageKey } from './en';
import catalogue from './hy.json';

export const hy: Record<MessageKey, string> = catalogue;
