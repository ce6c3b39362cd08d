// The data at rest in the real app: after set-up the database file, its
// write-ahead log, its backups and its key file hold no name, phone or
// document number; signing out closes it; a wrong password opens nothing;
// the administrator who forgot their password opens it with the recovery key.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  ADMINISTRATOR, By, Key, click, invoke, makeRecoveryKey, ok, recoveryKey, screenshot, setUpCentre, signIn, signOut, startDesk, textOf, type, visible, waitForText,
} from './harness.mjs';

let desk;
before(async () => {
  desk = await startDesk();
});
after(async () => {
  await desk?.stop();
});

const PERSON = {
  family_name: 'Шарипова', given_name: 'Мавзуна', patronymic: '', family_name_latin: 'Sharipova', given_name_latin: 'Mavzuna', sex: 'female',
  birth_date: '1989-11-02', estimated_age: null, citizenship: 'TJ', birth_country: '', origin_region: '', origin_town: 'Kulob',
  current_country: '', current_city: '', phones: [{ number: '+992 91 777 40 21', messenger: 'whatsapp' }], languages: [],
  documents: [{ kind: 'passport', number: 'P4409317', issuing_country: 'TJ', expires_on: null }],
  migration_status: 'regular', occupation: '', vulnerabilities: [], consent_given: true, consent_scope: ['data_processing'], notes: 'Works at a bakery in Podolsk',
};

/** Every file under `dir`. */
function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path);
    // The single-instance socket is no file to read.
    return stat.isDirectory() ? files(path) : stat.isFile() ? [path] : [];
  });
}

test('nothing on disk names the person, and the recovery key opens a forgotten password', async () => {
  const driver = await desk.launch();
  await setUpCentre(driver);
  await ok(driver, 'migrant_register', { input: PERSON, confirmed_new: true });
  await signOut(driver);
  await signIn(driver, ADMINISTRATOR);
  await ok(driver, 'backup_now', { dir: desk.dataDir });

  // Signed out, the database is closed: no command reaches it.
  await signOut(driver);
  assert.equal((await invoke(driver, 'migrant_list', { query: { text: '', sort: 'name', page: 0, page_size: 10 } })).error.code, 'not_signed_in');
  const onDisk = files(desk.dataDir);
  assert.ok(onDisk.some((f) => f.endsWith('mrc-desk.keys')), `a key file beside the database: ${onDisk}`);
  assert.ok(onDisk.filter((f) => f.endsWith('.db')).length >= 2, 'the database and its backup');
  for (const file of onDisk) {
    const bytes = readFileSync(file);
    // Every file, the webview's own storage too, is searched for the person.
    for (const secret of ['Шарипова', 'Sharipova', 'Мавзуна', '777 40 21', '777402', 'P4409317', 'Podolsk']) {
      assert.ok(!bytes.includes(Buffer.from(secret)), `${file} holds ${secret}`);
    }
    if (/\.(db|db-wal)$/.test(file)) assert.ok(!bytes.includes(Buffer.from('SQLite format 3')), `${file} is a plain SQLite file`);
  }

  // A wrong password opens nothing, and says so.
  await visible(driver, '#sign-in');
  await driver.findElement(By.xpath(`//form[@id='sign-in']//label[span[normalize-space()=${JSON.stringify(ADMINISTRATOR)}]]/input`)).click();
  await (await type(driver, '#sign-in-password', 'not my password at all')).sendKeys(Key.ENTER);
  await waitForText(driver, '#sign-in-error', 'not right');

  // The administrator made a new recovery key on the accounts screen (the old one stops working).
  await signIn(driver, ADMINISTRATOR);
  await click(driver, 'nav a[href="/staff"]');
  await click(driver, '#recovery-remake');
  await click(driver, '#ask-yes');
  await visible(driver, '#recovery-make');
  await screenshot(driver, 'recovery-key-dialog');
  await makeRecoveryKey(driver, 'recovery-key-shown');
  await signOut(driver);

  // Forgotten: the recovery key, the administrator, a new password.
  await click(driver, '#recovery-toggle');
  await visible(driver, '#recovery-key');
  await type(driver, '#recovery-key', 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH');
  await type(driver, '#sign-in-password', 'a new start for the admin');
  await type(driver, '#sign-in-again', 'a new start for the admin');
  await click(driver, '#sign-in-submit');
  await waitForText(driver, '#sign-in', 'not this centre');
  await screenshot(driver, 'recovery-sign-in');
  await type(driver, '#recovery-key', recoveryKey.toLowerCase());
  await type(driver, '#sign-in-password', 'a new start for the admin');
  await type(driver, '#sign-in-again', 'a new start for the admin');
  await click(driver, '#sign-in-submit');
  await waitForText(driver, '#signed-in-as', ADMINISTRATOR);
  await signOut(driver);
  await signIn(driver, ADMINISTRATOR, 'a new start for the admin');
  assert.match(await textOf(driver, '#signed-in-as'), /Administrator One/);
});
