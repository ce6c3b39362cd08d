// Kyrgyz. The type makes a missing key a compile error; the catalogue test
// catches an extra one.
import type { MessageKey } from './en';
import catalogue from './ky.json';

export const ky: Record<MessageKey, string> = catalogue;
