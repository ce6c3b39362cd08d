import { describe, expect, it } from 'vitest';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { en } from './i18n/en';
import { HELP_SCREENS, helpScreenOf } from './help';

/** Every page route of the app, as SvelteKit names it ("/migrants/[id]"). */
function routes(dir = join(import.meta.dirname, '../routes')): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...routes(path));
    else if (name === '+page.svelte') found.push('/' + relative(join(import.meta.dirname, '../routes'), dir).split('\\').join('/'));
  }
  return found.map((r) => (r === '/' ? r : r.replace(/\/$/, '')));
}

describe('help', () => {
  it('has a page for every screen of the app', () => {
    const without = routes().filter((r) => !helpScreenOf(r));
    expect(without, 'screens with no help page').toEqual([]);
    expect(routes().length).toBeGreaterThan(10);
  });

  it('has a title and a text for every help page', () => {
    for (const s of HELP_SCREENS) {
      expect(en[`help.${s}.title` as keyof typeof en], s).toBeTruthy();
      expect(en[`help.${s}.text` as keyof typeof en], s).toBeTruthy();
    }
  });
});
