// A second start of MRC Desk on the same data folder hands over to the one
// already open and quits: two windows never write the same records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP, find, invoke, startDesk } from './harness.mjs';

function exitOf(child, ms) {
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`the second start was still running after ${ms} ms`)), ms);
    child.once('exit', (code) => {
      clearTimeout(timer);
      done(code);
    });
  });
}

test('a second start brings the open MRC Desk forward and quits', async () => {
  const desk = await startDesk();
  let second;
  try {
    const driver = await desk.launch();
    await find(driver, 'main');
    second = spawn(APP, [], { env: desk.env, stdio: 'ignore' });
    assert.equal(await exitOf(second, 20000), 0);
    const log = readFileSync(join(desk.dataDir, 'logs', 'mrc-desk.log'), 'utf8');
    assert.match(log, /already open: brought it to the front and quit/);
    assert.match(log, /another start of MRC Desk: brought this window to the front/);
    // The first one carries on as before.
    const state = await invoke(driver, 'desk_state', {});
    assert.equal(state.ok, true, JSON.stringify(state));
  } finally {
    if (second && second.exitCode === null) second.kill('SIGTERM');
    await desk.stop();
  }
});

test('a start after a crash is not fooled by the doorbell left behind', async () => {
  const desk = await startDesk();
  try {
    // The first run leaves its socket file when the window is closed.
    await desk.launch();
    await desk.quit();
    const driver = await desk.launch();
    await find(driver, 'main');
  } finally {
    await desk.stop();
  }
});
