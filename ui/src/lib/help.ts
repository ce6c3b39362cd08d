// Which help page belongs to which screen, and the shortcuts the help lists.
// The texts themselves are messages (`help.<screen>.title`, `help.<screen>.text`)
// so every language has them.
import type { MessageKey } from './i18n/en';

export const HELP_SCREENS = ['today', 'migrants', 'register', 'profile', 'duplicates', 'retention', 'partners', 'sessions', 'anonymous', 'report', 'import', 'staff', 'audit', 'backups', 'about', 'setup'] as const;
export type HelpScreen = (typeof HELP_SCREENS)[number];

const BY_ROUTE: Record<string, HelpScreen> = {
  '/': 'today',
  '/today': 'today',
  '/migrants': 'migrants',
  '/migrants/new': 'register',
  '/migrants/[id]': 'profile',
  '/migrants/[id]/edit': 'register',
  '/duplicates': 'duplicates',
  '/retention': 'retention',
  '/partners': 'partners',
  '/sessions': 'sessions',
  '/anonymous': 'anonymous',
  '/report': 'report',
  '/import': 'import',
  '/staff': 'staff',
  '/audit': 'audit',
  '/backups': 'backups',
  '/about': 'about',
  '/setup': 'setup',
};

/** The help page written for a SvelteKit route id ("/migrants/[id]"), if there is one. */
export function helpScreenOf(routeId: string | null): HelpScreen | undefined {
  return routeId ? BY_ROUTE[routeId] : undefined;
}

/** The help page to show on a route: its own, else the one for Today. */
export function helpScreen(routeId: string | null): HelpScreen {
  return helpScreenOf(routeId) ?? 'today';
}

/** The keyboard shortcuts of the app, as the help lists them. */
export const SHORTCUTS: { keys: string; label: MessageKey }[] = [
  { keys: 'F1', label: 'help.key.help' },
  { keys: 'Alt+N', label: 'help.key.register' },
  { keys: 'Ctrl+F', label: 'help.key.search' },
  { keys: 'Alt+V', label: 'help.key.visit' },
  { keys: 'Alt+A', label: 'help.key.assistance' },
  { keys: 'Alt+C', label: 'help.key.case' },
  { keys: 'Alt+E', label: 'help.key.edit' },
  { keys: 'Enter', label: 'help.key.save' },
  { keys: 'Ctrl+Enter', label: 'help.key.save_migrant' },
  { keys: 'Alt+↓', label: 'help.key.calendar' },
  { keys: 'Esc', label: 'help.key.close' },
  { keys: 'Tab', label: 'help.key.tab' },
];
