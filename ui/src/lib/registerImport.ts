// Words for the register import screen. Every rule is the core's: which
// column a row's problem is found in comes from REGISTER_PROBLEM_COLUMNS,
// what a mapping lacks from `register_mapping_problems`; this only names them.
import { messageFor } from './errors';
import {
  DATE_ORDER_EXAMPLES, REGISTER_PROBLEM_COLUMNS, REGISTER_TARGETS, type ColumnMapping, type DateOrder, type FieldError, type Mapping,
  type ImportProgress, type MappingProblem, type Target,
} from './generated/bindings';
import { en, type MessageKey } from './i18n/en';
import { formatNumber, t } from './i18n/index.svelte';

/** A, B, … Z, AA: a column as a spreadsheet names it (the first is 1). */
export function columnLetters(column: number): string {
  let n = column;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

export function isTarget(field: string): field is Target {
  return (REGISTER_TARGETS as readonly string[]).includes(field);
}

/** A field of the mapping in words: a column's target, or a value only a default gives (`visit_purpose`). */
export function fieldLabel(field: string): string {
  for (const key of [`import.target.${field}`, `import.default.${field}`]) {
    if (key in en) return t(key as MessageKey);
  }
  return field;
}

/** The column of the file that a row's problem with `field` is in, if the mapping reads one. */
export function problemColumn(mapping: Mapping, field: string): ColumnMapping | null {
  if (!isTarget(field)) return null;
  for (const target of REGISTER_PROBLEM_COLUMNS[field]) {
    const found = mapping.columns.find((c) => c.target === target);
    if (found) return found;
  }
  return null;
}

/** Where a row's problem is, for a person to find it in the file: “Дата рождения (E)”, or the field. */
export function problemPlace(mapping: Mapping, field: string): string {
  const column = problemColumn(mapping, field);
  if (!column) return fieldLabel(field);
  const letters = columnLetters(column.column);
  return column.header ? `${column.header} (${letters})` : letters;
}

/** A row's problem in words: the import's own message for a cell, the forms' one, or the core's English. */
export function rowProblemText(problem: FieldError, order: DateOrder): string {
  const key = `import.error.${problem.code}`;
  if (key in en) return t(key as MessageKey, { example: DATE_ORDER_EXAMPLES[order] });
  return messageFor(problem);
}

/** Why the mapping cannot be used yet, in words; the core's English for a problem the catalogue does not know. */
export function mappingProblemText(problem: MappingProblem): string {
  const field = problem.field ? fieldLabel(problem.field) : '';
  const header = problem.header ?? '';
  // A value that only a default gives (the visits' purpose) has no column to choose.
  const code = problem.code === 'not_mapped' && problem.field && !isTarget(problem.field) ? 'not_mapped_default' : problem.code;
  const key = `import.problem.${code}`;
  if (key in en) return t(key as MessageKey, { field, header, section: t('import.defaults') });
  return `${t('error.invalid')} (${problem.message})`;
}

/** The targets a column may be imported as, in two groups: the person, and the visit and help the row records. */
export function targetGroups(): { label: MessageKey; targets: Target[] }[] {
  const records = (t: Target) => t.startsWith('visit_') || t.startsWith('assistance_');
  return [
    { label: 'import.group.person', targets: REGISTER_TARGETS.filter((t) => !records(t)) },
    { label: 'import.group.records', targets: REGISTER_TARGETS.filter(records) },
  ];
}

/** How far an import is, 0 to 1: checking the rows is the first half, saving them the second. */
export function importFraction(p: ImportProgress | null): number | null {
  if (!p || p.total <= 0) return null;
  return ((p.stage === 'checking' ? 0 : 1) + p.done / p.total) / 2;
}

/** The line under the bar: which stage, and how many rows of how many. */
export function importDetail(p: ImportProgress | null): string {
  return p && p.total > 0 ? t(`import.stage.${p.stage}`, { done: formatNumber(p.done), total: formatNumber(p.total) }) : '';
}
