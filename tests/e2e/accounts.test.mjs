// Accounts in the real app: each role signs in on the sign-in screen and
// calls commands straight through the webview's bridge, as a curious person
// with the developer tools could; the core refuses what the role may not do.
// A wrong password opens nothing, a locked desk keeps what was typed, and the
// supervisor finds all of it in the audit log.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { ADMINISTRATOR, PASSWORD, click, find, invoke, ok, screenshot, setUpCentre, signIn, signOut, startDesk, textOf, type, visible, waitForText, Key, By } from './harness.mjs';

// Each test sets up a centre of its own, on a data folder of its own.
let desk;
beforeEach(async () => {
  desk = await startDesk();
});
afterEach(async () => {
  await desk?.stop();
});

const NOBODY = '01900000-0000-7000-8000-000000000000';

/** Each probe answers whether the core let the command through (a missing record still got past the role check). */
const PROBES = {
  profile: async (d) => (await invoke(d, 'migrant_profile', { id: NOBODY })).error?.code !== 'not_allowed',
  duplicates: async (d) => (await invoke(d, 'duplicate_pairs', {})).ok,
  report: async (d) => (await invoke(d, 'report_trend', { centre_id: null, to: '2026-10-31', for_sharing: false })).ok,
  partners: async (d) => (await invoke(d, 'partner_list', { query: { text: '', service: null, city: '', include_inactive: true } })).ok,
  audit: async (d) => (await invoke(d, 'audit_verify', {})).ok,
  backups: async (d) => (await invoke(d, 'backup_list', {})).ok,
  accounts: async (d) => (await invoke(d, 'staff_add', { input: { full_name: `Probe ${Date.now()}`, role: 'viewer', password: PASSWORD } })).ok,
};

// The role table, written out again here so that a change to either shows.
const EXPECTED = {
  [ADMINISTRATOR]: { profile: false, duplicates: false, report: false, partners: true, audit: true, backups: true, accounts: true },
  'Supervisor One': { profile: true, duplicates: true, report: true, partners: true, audit: true, backups: false, accounts: false },
  'Caseworker Two': { profile: true, duplicates: false, report: false, partners: true, audit: false, backups: false, accounts: false },
  'Monitoring Viewer': { profile: false, duplicates: false, report: true, partners: false, audit: false, backups: false, accounts: false },
};

test('each role is refused by the core what it may not do, whatever is called', async () => {
  const driver = await desk.launch();
  await setUpCentre(driver);
  await signOut(driver);
  await signIn(driver, ADMINISTRATOR);
  await ok(driver, 'staff_add', { input: { full_name: 'Caseworker Two', role: 'caseworker', password: PASSWORD } });
  await ok(driver, 'staff_add', { input: { full_name: 'Monitoring Viewer', role: 'viewer', password: PASSWORD } });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    await signOut(driver);
    await signIn(driver, name);
    const seen = {};
    for (const [probe, run] of Object.entries(PROBES)) seen[probe] = await run(driver);
    assert.deepEqual(seen, expected, name);
  }
  // The viewer's menu offers the report only; their first screen is it.
  const links = await driver.findElements(By.css('nav a'));
  const hrefs = await Promise.all(links.map((a) => a.getAttribute('href')));
  assert.deepEqual(hrefs.map((h) => new URL(h).pathname), ['/report', '/staff', '/about']);
  await screenshot(driver, 'accounts-viewer');
});

test('a wrong password opens nothing, and a locked desk keeps what was typed', async () => {
  const driver = await desk.launch();
  await setUpCentre(driver, { centre: 'MRC Dushanbe', city: 'Dushanbe' });
  await signOut(driver);

  const choice = await driver.findElement(By.xpath(`//form[@id='sign-in']//label[span[normalize-space()='Supervisor One']]/input`));
  await choice.click();
  await (await type(driver, '#sign-in-password', 'not the password at all')).sendKeys(Key.ENTER);
  await waitForText(driver, '#sign-in-error', 'The password is not right');
  assert.equal((await invoke(driver, 'today', {})).error.code, 'not_signed_in', 'nothing opens behind the sign-in screen');
  await screenshot(driver, 'accounts-wrong-password');
  await signIn(driver, 'Supervisor One');

  // Half-way through a registration, the desk is locked (Ctrl+L).
  await click(driver, 'header a.register');
  await type(driver, '#family_name', 'Каримова');
  await (await find(driver, '#family_name')).sendKeys(Key.chord(Key.CONTROL, 'l'));
  await visible(driver, '#unlock-password');
  assert.equal((await invoke(driver, 'today', {})).error.code, 'desk_locked', 'the core refuses everything while locked');
  await screenshot(driver, 'accounts-locked');
  await (await type(driver, '#unlock-password', 'a wrong one here')).sendKeys(Key.ENTER);
  await waitForText(driver, '#unlock-error', 'The password is not right');
  await (await type(driver, '#unlock-password', PASSWORD)).sendKeys(Key.ENTER);
  await driver.wait(async () => (await driver.findElements(By.css('#unlock'))).length === 0, 5000, 'the password opens the desk');
  assert.equal(await (await find(driver, '#family_name')).getAttribute('value'), 'Каримова', 'what was typed is still there');

  // The supervisor finds the failures, the lock and the refusals in the audit log, whole.
  await click(driver, 'nav a[href="/audit"]');
  // Leaving the half-typed registration is asked about first.
  await waitForText(driver, '#ask-dialog', 'lose what you typed');
  await click(driver, '#ask-yes');
  await waitForText(driver, '#audit-table', 'Wrong password');
  const log = await textOf(driver, '#audit-table');
  assert.match(log, /Locked/);
  assert.match(log, /Unlocked/);
  await click(driver, '#audit-verify');
  await waitForText(driver, '#audit-check', 'The log is whole');
  await screenshot(driver, 'accounts-audit');
});
