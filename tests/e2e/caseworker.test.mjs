// A caseworker's day in the real app: set up the centre, register a migrant
// with a Cyrillic name (after a refused first try), log a visit, record
// assistance, open and close a case, quit, start again and find it all.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Key, choose, click, find, screenshot, setUpCentre, signIn, startDesk, textOf, type, waitForText } from './harness.mjs';

let desk;
before(async () => {
  desk = await startDesk();
});
after(async () => {
  await desk?.stop();
});

test('a caseworker registers, helps and finds a migrant again after a restart', async () => {
  let driver = await desk.launch();

  // First run: name the centre and the person at the desk.
  await setUpCentre(driver, { staff: 'Caseworker One', role: 'caseworker' });

  // A first try with missing and bad fields is refused field by field, and keeps what was typed.
  await click(driver, 'a[href="/migrants/new"]');
  await type(driver, '#family_name', 'Рахмонов');
  // Esc on a form with typing in it asks first; saying no keeps everything.
  await (await find(driver, '#family_name')).sendKeys(Key.ESCAPE);
  await waitForText(driver, '#ask-dialog', 'lose what you typed');
  await click(driver, '#ask-no');
  assert.equal(await (await find(driver, '#family_name')).getAttribute('value'), 'Рахмонов');
  await type(driver, '#phone-0', 'call me');
  // A date that is no date is named before anything is sent.
  await type(driver, '#birth_date', '31/02/1990');
  await click(driver, '#save-migrant');
  await waitForText(driver, '#birth_date-error', 'DD/MM/YYYY');
  await type(driver, '#birth_date', '15/05/1990');
  await click(driver, '#save-migrant');
  await waitForText(driver, '#given_name-error', 'required');
  assert.match(await textOf(driver, '#sex-error'), /required/);
  assert.match(await textOf(driver, '#phone-0-error'), /digits/);
  assert.match(await textOf(driver, '#citizenship-error'), /required|country/i);
  assert.equal(await (await find(driver, '#family_name')).getAttribute('value'), 'Рахмонов');
  assert.equal(await (await find(driver, '#phone-0')).getAttribute('value'), 'call me');
  assert.equal(await (await find(driver, '#birth_date')).getAttribute('value'), '15/05/1990');
  assert.equal(await (await find(driver, '#given_name')).getAttribute('aria-invalid'), 'true');
  await screenshot(driver, '02-refused-form');

  // Corrected, it is saved and the profile opens.
  await type(driver, '#given_name', 'Фаррух');
  await type(driver, '#family_name_latin', 'Rakhmonov');
  await type(driver, '#given_name_latin', 'Farrukh');
  await choose(driver, '#sex', 'male');
  await choose(driver, '#citizenship', 'TJ');
  await choose(driver, '#migration_status', 'irregular');
  await type(driver, '#phone-0', '+992 93 123 4567');
  await click(driver, '#save-migrant');
  await waitForText(driver, '#migrant-name', 'Рахмонов Фаррух');
  assert.match(await textOf(driver, '.facts'), /15 May 1990/);

  // A visit, in a few keystrokes.
  await click(driver, '#log-visit');
  await choose(driver, '#visit-purpose', 'consultation');
  await type(driver, '#visit-duration', '25');
  await type(driver, '#visit-notes', 'Employer has not paid for two months');
  await click(driver, '#save-visit');
  await waitForText(driver, '#timeline', 'Consultation');

  // Assistance given during that visit.
  await click(driver, '#record-assistance');
  await choose(driver, '#assistance-category', 'legal_consultation');
  await type(driver, '#assistance-amount', '1500');
  await choose(driver, '#assistance-currency', 'TJS');
  await click(driver, '#save-assistance');
  await waitForText(driver, '#timeline', 'Legal consultation');

  // A case, moved along and closed with a reason.
  await click(driver, '#open-case');
  await choose(driver, '#case-type', 'labour_dispute');
  await choose(driver, '#case-priority', 'high');
  await type(driver, '#case-summary', 'Unpaid wages, construction site');
  await click(driver, '#save-case');
  await waitForText(driver, '#cases', 'Labour dispute');
  await click(driver, '#cases .move-in_progress');
  await waitForText(driver, '#cases .badge.status-in_progress', 'In progress');
  await click(driver, '#cases .move-closed');
  await click(driver, '#cases .confirm-close');
  await waitForText(driver, '#cases .field-error', 'required');
  await choose(driver, '#cases .closure-reason', 'resolved');
  await click(driver, '#cases .confirm-close');
  await waitForText(driver, '#cases .badge.status-closed', 'Closed');
  await screenshot(driver, '03-profile');

  // Quit, start again on the same data, and everything is there.
  await desk.quit();
  driver = await desk.launch();
  // The desk opens signed out: the person signs in again.
  await signIn(driver, 'Caseworker One');
  await waitForText(driver, 'h1', 'Today');
  await click(driver, 'nav a[href="/migrants"]');
  await waitForText(driver, 'table', 'Рахмонов');
  // Another transliteration than the one registered finds the Cyrillic record, marked.
  await type(driver, '#search', 'Rahmonov');
  await waitForText(driver, '#list-count', '1–1 of 1');
  await waitForText(driver, 'a.name mark', 'Рахмонов');
  await waitForText(driver, '#sort-closest', 'closest first');
  // Filters narrow the search in the core: no woman is called Rakhmonov; a man is.
  await click(driver, '#filters-toggle');
  await choose(driver, '#filter-sex', 'female');
  await waitForText(driver, '.list .empty', 'matches these filters');
  await choose(driver, '#filter-sex', 'male');
  // An age that is no age is named, and what was typed stays.
  await type(driver, '#filter-age-from', '3x');
  await waitForText(driver, '#filter-age-error', 'whole number');
  assert.equal(await (await find(driver, '#filter-age-from')).getAttribute('value'), '3x');
  await type(driver, '#filter-age-from', '30');
  await waitForText(driver, '#filters-toggle', 'Filters (2)');
  await waitForText(driver, '#list-count', '1–1 of 1');
  await screenshot(driver, '03c-filters');
  await click(driver, '#filters-clear');
  await waitForText(driver, '#filters-toggle', 'Filters');
  await type(driver, '#search', 'rakhmonov');
  await waitForText(driver, '#list-count', '1–1 of 1');
  await click(driver, 'a.name');
  await waitForText(driver, '#migrant-name', 'Рахмонов Фаррух');
  const timeline = await textOf(driver, '#timeline');
  assert.match(timeline, /Consultation/);
  assert.match(timeline, /Legal consultation/);
  assert.match(timeline, /TJS|1,500/);
  assert.match(await textOf(driver, '#cases'), /Closed/);
  assert.match(await textOf(driver, '#cases'), /Resolved/);

  // An edit keeps the history and shows at once.
  await click(driver, '#edit-migrant');
  await type(driver, '#patronymic', 'Салимович');
  await click(driver, '#save-migrant');
  await waitForText(driver, '#migrant-name', 'Рахмонов Фаррух Салимович');
  assert.match(await textOf(driver, '#timeline'), /Consultation/);

  // Registering the same person again in Latin letters: the core names the
  // record already there, and why, before anything is saved.
  await click(driver, 'header a.register');
  await type(driver, '#family_name', 'Rahmonov');
  await type(driver, '#given_name', 'Farrukh');
  await type(driver, '#birth_date', '15/05/1990');
  await waitForText(driver, '#duplicates', 'Same date of birth: 15 May 1990');
  assert.match(await textOf(driver, '#duplicates'), /Рахмонов Фаррух Салимович/);
  assert.match(await textOf(driver, '#duplicates'), /Names alike/);
  await waitForText(driver, '.check-first', 'Possible matches: 1');
  await screenshot(driver, '03b-possible-duplicate');
  await click(driver, '#duplicates .open-duplicate');
  await click(driver, '#ask-yes');
  await waitForText(driver, '#migrant-name', 'Рахмонов Фаррух Салимович');

  // The interface switches to Russian at once, and remembers it after a restart.
  await choose(driver, '#language-switch', 'ru');
  await waitForText(driver, '#cases', 'Закрыто');
  await desk.quit();
  driver = await desk.launch();
  // The sign-in screen already speaks the language last chosen.
  await waitForText(driver, '#sign-in', 'Войти');
  await signIn(driver, 'Caseworker One');
  await waitForText(driver, 'nav', 'Мигранты');
  await screenshot(driver, '04-list-russian');
});
