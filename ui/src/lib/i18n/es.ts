// Spanish. The type makes a missing key a compile error; the catalogue test
// catches an extra one.
import type { MessageKey } from './en';
import catalogue from './es.json';

export const es: Record<MessageKey, string> = catalogue;
