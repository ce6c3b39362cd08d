// A centre's old register brought in on the Import screen: a Russian CSV
// with semicolons, a byte order mark and one bad row. The native file
// dialog cannot be driven, so the path is typed into the field the page
// offers beside "Choose file…", as a keyboard user would.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Select } from 'selenium-webdriver/lib/select.js';
import { By, choose, click, find, ok, screenshot, setUpCentre, startDesk, textOf, type, visible, waitForText } from './harness.mjs';

let desk;
before(async () => {
  desk = await startDesk();
});
after(async () => {
  await desk?.stop();
});

// Row 3 (as the spreadsheet numbers it) has a 31 February.
const REGISTER = [
  '№;Фамилия;Имя;Дата рождения;Пол;Гражданство;Телефон;Дата обращения;Вид помощи',
  '1;Рахимов;Алишер;12.03.1990;М;Таджикистан;+992 93 123 4567;15.01.2025;Юридическая консультация',
  '2;Каримова;Дилноза;31.02.1985;Ж;Узбекистан;;03.02.2025;Медицинская помощь',
  '3;Осмонов;Бакыт;05.11.1978;муж.;Кыргызстан;;10.02.2025;информирование',
  '4;Назарова;Мадина;01.01.1995;Ж;TJ;;11.02.2025;',
].join('\r\n');

async function registered(driver) {
  const page = await ok(driver, 'migrant_list', { query: { text: '', sort: 'name', page: 0, page_size: 50 } });
  return page.total;
}

/** The figure a count box shows, e.g. the number of new people. */
async function count(driver, list, key) {
  return Number((await textOf(driver, `${list} [data-count="${key}"] dd`)).replace(/\D/g, ''));
}

async function selectedText(driver, css) {
  return (await new Select(await find(driver, css)).getFirstSelectedOption()).getText();
}

async function openRegister(driver, path) {
  // Following the link to the page already shown would move the keyboard
  // away (a navigation focuses the page) while the path is being typed.
  if (!(await driver.getCurrentUrl()).endsWith('/import')) await click(driver, 'nav a[href="/import"]');
  await type(driver, '#import-path', path);
  await click(driver, '#import-open');
  await visible(driver, '#import-mapping');
}

test('a Russian CSV register: mapping, check, all-or-nothing, skip invalid, and again', async () => {
  const driver = await desk.launch();
  try {
    await driver.manage().window().setRect({ width: 1366, height: 768 });
  } catch {
    // Some drivers cannot resize; the default window is close to it.
  }
  await setUpCentre(driver);
  // Typing Cyrillic through WebDriver is unreliable: the file typed has a
  // Latin name, and a copy with a Russian one is opened by the command.
  const file = join(desk.home, 'register.csv');
  writeFileSync(file, '\uFEFF' + REGISTER + '\r\n');
  writeFileSync(join(desk.home, 'журнал.csv'), '\uFEFF' + REGISTER + '\r\n');
  const russianName = await ok(driver, 'register_open', { path: join(desk.home, 'журнал.csv'), sheet: null });
  assert.deepEqual([russianName.rows, russianName.sheet_names, russianName.mapping.columns[1].target], [4, [], 'family_name']);

  // A path that is no file says so, in words.
  await click(driver, 'nav a[href="/import"]');
  await type(driver, '#import-path', join(desk.home, 'missing.csv'));
  await click(driver, '#import-open');
  await waitForText(driver, '#import-error', 'This file cannot be opened');

  // The mapping proposed from the Russian headers, with the first values.
  await openRegister(driver, file);
  await waitForText(driver, '#import-file-summary', 'Rows of data: 4');
  assert.equal(await selectedText(driver, '#import-target-1'), 'Do not import');
  assert.equal(await selectedText(driver, '#import-target-2'), 'Family name');
  assert.equal(await selectedText(driver, '#import-target-4'), 'Date of birth');
  assert.equal(await selectedText(driver, '#import-target-9'), 'Kind of help');
  // WebKit leaves cut-off cells out of an element's text: read what the page holds.
  const table = await driver.executeScript('return document.querySelector("#import-mapping tbody").textContent');
  for (const expected of ['Фамилия', 'Рахимов', 'Каримова', '12.03.1990']) assert.ok(table.includes(expected), `the mapping shows “${expected}”:\n${table}`);
  await screenshot(driver, 'i1-import-mapping');

  // A column left out that the core needs is named at once, and put back.
  await new Select(await visible(driver, '#import-target-5')).selectByVisibleText('Do not import');
  await waitForText(driver, '#import-mapping-problems', 'Nothing gives “Sex”');
  assert.equal(await (await find(driver, '#import-default-sex')).getAttribute('aria-invalid'), 'true');
  await screenshot(driver, 'i1-import-mapping-problem');
  await choose(driver, '#import-target-5', 'sex');
  await driver.wait(async () => (await driver.findElements(By.css('#import-mapping-problems'))).length === 0, 5000, 'the problem stays');

  // The check lists the bad row by its number, column and problem.
  await click(driver, '#import-check');
  await visible(driver, '#import-preview');
  assert.deepEqual(
    [await count(driver, '#import-counts', 'new'), await count(driver, '#import-counts', 'already_registered'), await count(driver, '#import-counts', 'invalid')],
    [3, 0, 1],
  );
  const bad = await textOf(driver, '#import-invalid tbody');
  assert.match(bad, /^3\s/);
  assert.match(bad, /Каримова Дилноза/);
  assert.match(bad, /Дата рождения \(D\)/);
  assert.match(bad, /Not a date: write it as 31\.10\.1990/);
  assert.match(await textOf(driver, '#import-preview'), /Not imported: №/);
  await screenshot(driver, 'i2-import-check');

  // All or nothing: nothing, and the mapping stays as chosen.
  await click(driver, '#import-run');
  await waitForText(driver, '#import-report', 'Nothing was imported');
  assert.equal(await registered(driver), 0);
  assert.equal(await selectedText(driver, '#import-target-2'), 'Family name');

  // The correct rows only.
  await click(driver, '#import-valid');
  await waitForText(driver, '#import-report', 'Import finished');
  assert.deepEqual(
    [await count(driver, '#import-report-counts', 'added'), await count(driver, '#import-report-counts', 'visits_added'), await count(driver, '#import-report-counts', 'skipped')],
    [3, 3, 1],
  );
  assert.match(await textOf(driver, '#import-skipped'), /Каримова/);
  await screenshot(driver, 'i3-import-report');
  assert.equal(await registered(driver), 3);

  await click(driver, '#import-to-list');
  for (const name of ['Рахимов', 'Осмонов', 'Назарова']) await waitForText(driver, 'table', name);
  assert.doesNotMatch(await textOf(driver, 'table'), /Каримова/);

  // The same file again: everyone is known, and nothing is added.
  await openRegister(driver, file);
  await click(driver, '#import-check');
  await visible(driver, '#import-preview');
  assert.deepEqual([await count(driver, '#import-counts', 'new'), await count(driver, '#import-counts', 'already_registered')], [0, 3]);
  await waitForText(driver, '#import-known summary', 'People already known (3)');
  await click(driver, '#import-mode-skip');
  await click(driver, '#import-run');
  await waitForText(driver, '#import-report', 'Import finished');
  assert.deepEqual(
    [await count(driver, '#import-report-counts', 'added'), await count(driver, '#import-report-counts', 'already_registered'), await count(driver, '#import-report-counts', 'visits_added')],
    [0, 3, 0],
  );
  assert.equal(await registered(driver), 3);

  // The screen in Russian.
  await choose(driver, '#language-switch', 'ru');
  await click(driver, '#import-another');
  await type(driver, '#import-path', file);
  await click(driver, '#import-open');
  await waitForText(driver, '#import-mapping', 'Фамилия');
  assert.equal(await selectedText(driver, '#import-target-2'), 'Фамилия');
  await screenshot(driver, 'i4-import-mapping-russian');
  await click(driver, '#import-check');
  await waitForText(driver, '#import-invalid', 'Это не дата');
  await screenshot(driver, 'i5-import-check-russian');
});
