// The only way the UI talks to the core: typed commands from the generated
// bindings. A failure always arrives as a CommandError.
import { invoke } from '@tauri-apps/api/core';
import type { CommandError, Commands } from './generated/bindings';

export class ApiError extends Error {
  constructor(readonly detail: CommandError) {
    super(detail.message);
  }
}

/** Told when the core says the desk locked or nobody is signed in, so the
 *  lock or sign-in screen shows; the screen behind keeps what was typed. */
let sessionLost: (code: string) => void = () => {};
export function onSessionLost(handler: (code: string) => void) {
  sessionLost = handler;
}

export async function call<K extends keyof Commands>(command: K, args: Commands[K]['args']): Promise<Commands[K]['result']> {
  try {
    return await invoke<Commands[K]['result']>(command, args as Record<string, unknown>);
  } catch (e) {
    const error = new ApiError(asCommandError(e));
    if (error.detail.code === 'desk_locked' || error.detail.code === 'not_signed_in') sessionLost(error.detail.code);
    throw error;
  }
}

function asCommandError(e: unknown): CommandError {
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const err = e as Partial<CommandError>;
    return { code: String(err.code), message: String(err.message), field: err.field ?? null, fields: err.fields ?? [] };
  }
  return { code: 'internal', message: String(e), field: null, fields: [] };
}


