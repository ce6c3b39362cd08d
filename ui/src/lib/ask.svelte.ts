// Questions that must be answered before something is lost or replaced.
// Asked in the page itself, in the interface language: the webview's own
// window.confirm is replaced by an asynchronous one in Tauri, so it cannot
// stop anything by itself.

type Question = { message: string; yes: string; no: string; resolve: (answer: boolean) => void };

export const question = $state<{ current: Question | null }>({ current: null });

/** Resolves true when the person chose `yes`, false on `no` or Esc. */
export function ask(message: string, yes: string, no: string): Promise<boolean> {
  question.current?.resolve(false);
  return new Promise((resolve) => {
    question.current = { message, yes, no, resolve };
  });
}

export function answer(value: boolean) {
  const q = question.current;
  question.current = null;
  q?.resolve(value);
}
