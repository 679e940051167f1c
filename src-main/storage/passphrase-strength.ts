// Refusing obviously weak passphrases when a passphrase store is created. The judge is zxcvbn-ts
// (a maintained TypeScript port of Dropbox's zxcvbn: common-password, dictionary, keyboard,
// sequence, repeat and date patterns; its dictionaries ship inside the npm packages, nothing is
// downloaded): at least MIN_PASSPHRASE_CHARS characters and a guess estimate of score 3
// (≥ 10^8 guesses), each of which costs an offline attacker one scrypt at N = 2^17 (128 MiB).
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import { WeakPassphraseError } from './errors';

export const MIN_PASSPHRASE_CHARS = 8;
/** zxcvbn score 0–4; 3 = "safely unguessable: moderate protection from an offline slow-hash attack". */
export const MIN_PASSPHRASE_SCORE = 3;
/** Words a guesser tries first against this app's files. */
const APP_WORDS = ['token', 'place', 'tokenplace', 'token.place', 'desktop', 'passphrase', 'password', 'secret', 'node', 'relay'];

let judge: ZxcvbnFactory | undefined;

function zxcvbn(): ZxcvbnFactory {
  // Building the dictionaries costs ~100 ms: once per process, on first use.
  judge ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary, userInputs: APP_WORDS },
    graphs: common.adjacencyGraphs,
    translations: { ...en.translations, warnings: { ...en.translations.warnings, userInputs: 'It is built on this app’s name or a word like it.' } },
  });
  return judge;
}

/** Why `passphrase` is too weak to protect a new store (one sentence for the user), or null. */
export async function passphraseWeakness(passphrase: string): Promise<string | null> {
  const advice = 'Choose a longer one: three or four unrelated words work well.';
  if ([...passphrase].length < MIN_PASSPHRASE_CHARS) {
    return `The passphrase needs at least ${MIN_PASSPHRASE_CHARS} characters. ${advice}`;
  }
  const result = await zxcvbn().checkAsync(passphrase);
  if (result.score >= MIN_PASSPHRASE_SCORE) return null;
  const why = result.feedback.warning ? ` ${result.feedback.warning}` : '';
  return `This passphrase is too easy to guess.${why} ${advice}`;
}

/** Throws WeakPassphraseError with the reason when `passphrase` is too weak for a new store. */
export async function assertStrongPassphrase(passphrase: string): Promise<void> {
  const weakness = await passphraseWeakness(passphrase);
  if (weakness) throw new WeakPassphraseError(weakness);
}
