// Parameters in one short line ("Temperature 0.2 · Max tokens 2048"), in the window's language.
import type { ModelParams } from '../../../../src-shared/vocabulary/steer';
import { i18n } from '../../i18n';
import { shownValue, STEER_PARAM_NAMES } from './params-draft';

export function paramsSummary(p: ModelParams | undefined): string {
  if (!p) return '';
  return STEER_PARAM_NAMES.flatMap((name) => {
    const v = shownValue(name, p);
    return v === undefined ? [] : [`${i18n.t(`steer:param.${name}`)} ${v}`];
  }).join(' · ');
}
