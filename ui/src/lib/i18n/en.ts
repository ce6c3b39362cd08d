// English: the reference catalogue. Every other catalogue has exactly these keys.
// The text lives in en.json so that the Rust side (report and document
// exports, the CLI) prints the very same words.
import catalogue from './en.json';

export const en = catalogue;

export type MessageKey = keyof typeof en;
