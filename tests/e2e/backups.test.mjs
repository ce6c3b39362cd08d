// Backups in the real app: a verified copy to another folder, a refused
// restore of a damaged file, and a restore that brings back the copied data
// while keeping the replaced data aside.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ADMINISTRATOR, click, invoke, setUpCentre, startDesk, switchTo, type, waitForText } from './harness.mjs';

let desk;
before(async () => {
  desk = await startDesk();
});
after(async () => {
  await desk?.stop();
});

async function register(driver, family) {
  const answer = await invoke(driver, 'migrant_register', {
    input: {
      family_name: family, given_name: 'Test', patronymic: '', family_name_latin: '', given_name_latin: '', sex: 'female',
      birth_date: null, estimated_age: 30, citizenship: 'KG', birth_country: '', origin_region: '', origin_town: '',
      current_country: '', current_city: '', phones: [], languages: [], documents: [], migration_status: 'regular', occupation: '',
      vulnerabilities: [], consent_given: false, consent_scope: [], notes: '',
    },
    confirmed_new: true,
  });
  assert.equal(answer.ok, true, JSON.stringify(answer.error));
}

test('a backup to a USB folder is restored, and a damaged file is refused', async () => {
  const driver = await desk.launch();
  await setUpCentre(driver);
  await register(driver, 'Асанова');

  const usb = join(desk.home, 'usb');
  mkdirSync(usb);
  // Backups are the administrator's; the supervisor is refused by the core.
  assert.equal((await invoke(driver, 'backup_now', { dir: usb })).error.code, 'not_allowed');
  await switchTo(driver, ADMINISTRATOR);
  const made = await invoke(driver, 'backup_now', { dir: usb });
  assert.equal(made.ok, true, JSON.stringify(made.error));
  assert.ok(existsSync(made.value.path));
  assert.equal(made.value.counts.find((c) => c.table === 'migrant').rows, 1);

  await switchTo(driver, 'Supervisor One');
  await register(driver, 'Позже');
  await switchTo(driver, ADMINISTRATOR);
  const damaged = join(desk.home, 'damaged.db');
  writeFileSync(damaged, 'not a database '.repeat(500));
  const refused = await invoke(driver, 'backup_restore', { path: damaged });
  assert.deepEqual([refused.ok, refused.error.code, refused.error.field], [false, 'validation', 'file']);

  const restored = await invoke(driver, 'backup_restore', { path: made.value.path });
  assert.equal(restored.ok, true, JSON.stringify(restored.error));
  assert.equal(restored.value.kind, 'pre-restore');

  // The list shows the restored data; the Backups screen lists the copy kept aside.
  await driver.navigate().refresh();
  await switchTo(driver, 'Supervisor One');
  await click(driver, 'nav a[href="/migrants"]');
  await waitForText(driver, '#list-count', '1–1 of 1');
  await type(driver, '#search', 'Позже');
  await waitForText(driver, '.list', 'No one matches');
  await switchTo(driver, ADMINISTRATOR);
  await click(driver, 'nav a[href="/backups"]');
  await waitForText(driver, 'table', 'Before a restore');
});
