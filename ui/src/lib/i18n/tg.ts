// Tajik. The type makes a missing key a compile error; the catalogue test
// catches an extra one.
import type { MessageKey } from './en';
import catalogue from './tg.json';

export const tg: Record<MessageKey, string> = catalogue;
