// How a store reports a failed call, one way everywhere: a failure nobody is looking at inline
// becomes a toast; an action whose panel shows its result in place returns an Outcome instead.
import { describeError } from '../api/errors';
import { i18n } from '../i18n';
import { useUi } from './ui';

/** The result of an action shown in place (a form's status line), not as a toast. */
export interface Outcome {
  ok: boolean;
  /** What to show: the confirmation, or why it did not work. */
  text: string;
}

/** "Could not rename: The conversation does not exist." */
function withCause(what: string, error: unknown): string {
  return i18n.t('common:error.withCause', { what, cause: describeError(error) });
}

/** "Could not rename: The conversation does not exist." as a toast. */
export function toastError(what: string, error: unknown): void {
  useUi.getState().toast({ text: withCause(what, error) });
}

/** A failed Outcome whose text is `what` (when given) and the error in plain words. */
export function failed(error: unknown, what?: string): Outcome {
  return { ok: false, text: what ? withCause(what, error) : describeError(error) };
}
