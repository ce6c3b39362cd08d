// Uzbek (Latin). The type makes a missing key a compile error; the catalogue test
// catches an extra one.
import type { MessageKey } from './en';
import catalogue from './uz.json';

export const uz: Record<MessageKey, string> = catalogue;
