// Kazakh. The type makes a missing key a compile error; the catalogue test
// catches an extra one.
import type { MessageKey } from './en';
import catalogue from './kk.json';

export const kk: Record<MessageKey, string> = catalogue;
