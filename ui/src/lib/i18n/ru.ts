// Russian. The type makes a missing key a compile error; the catalogue test
// catches an extra one.
import type { MessageKey } from './en';
import catalogue from './ru.json';

export const ru: Record<MessageKey, string> = catalogue;
