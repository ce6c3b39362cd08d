// Typed work is never thrown away without asking: not by leaving the page,
// not by Cancel, not by Esc.
import { beforeNavigate, goto } from '$app/navigation';
import { ask } from './ask.svelte';
import { t } from './i18n/index.svelte';

function askToDiscard(): Promise<boolean> {
  return ask(t('common.discard'), t('common.discard_yes'), t('common.discard_no'));
}

/**
 * Call while a form component starts. `snapshot` gives what the person can
 * type; it is compared with its first value. Returns `close(action)`, which
 * runs the action (closing the form) only once the person agreed to lose
 * what they typed, if anything.
 */
export function protectTyping(snapshot: () => unknown, saved: () => boolean): (action: () => void) => void {
  const start = JSON.stringify(snapshot());
  let released = false;
  const untouched = () => released || saved() || JSON.stringify(snapshot()) === start;
  beforeNavigate((navigation) => {
    if (untouched() || !navigation.to || navigation.type === 'leave') return;
    // Stop now, ask, and go on only if the person agrees.
    navigation.cancel();
    const target = navigation.to.url;
    askToDiscard().then((yes) => {
      if (yes) {
        released = true;
        goto(target);
      }
    });
  });
  return (action) => {
    if (untouched()) return action();
    askToDiscard().then((yes) => {
      if (yes) {
        released = true;
        action();
      }
    });
  };
}
