// The five model parameters as form fields (issue 14 Steer). An empty field is not set: its
// placeholder says what applies instead (the server's default, or the node's own).
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { PARAM_LIMITS, type SteerParamName } from '../../../../src-shared/vocabulary/steer';
import type { ParamsDraft } from './params-draft';

export interface ParamsFieldsProps {
  draft: ParamsDraft;
  onChange(draft: ParamsDraft): void;
  /** What an empty field means, per parameter (default: the node decides). */
  placeholders?: Partial<Record<SteerParamName, string>>;
}

const NUMBER_FIELDS = ['temperature', 'topP', 'maxTokens', 'seed'] as const;

export function ParamsFields({ draft, onChange, placeholders = {} }: ParamsFieldsProps) {
  const { t } = useTranslation('steer');
  const hintId = useId();
  const set = (name: SteerParamName, value: string) => onChange({ ...draft, [name]: value });
  return (
    <div className="steer-fields">
      {NUMBER_FIELDS.map((name) => {
        const { min, max, step } = PARAM_LIMITS[name];
        return (
          <div key={name} className="field">
            <label className="field__label" htmlFor={`${hintId}-${name}-input`}>
              {t(`param.${name}`)}
            </label>
            <input
              id={`${hintId}-${name}-input`}
              type="number"
              inputMode={step === 1 ? 'numeric' : 'decimal'}
              min={min}
              max={max}
              step={step}
              value={draft[name]}
              placeholder={placeholders[name] ?? t('placeholder.node')}
              onChange={(e) => set(name, e.target.value)}
              aria-describedby={`${hintId}-${name}`}
            />
            <span className="hint" id={`${hintId}-${name}`}>
              {t(`hint.${name}`, { min, max })}
            </span>
          </div>
        );
      })}
      <div className="field steer-fields__wide">
        <label className="field__label" htmlFor={`${hintId}-stop-input`}>
          {t('param.stop')}
        </label>
        <textarea
          id={`${hintId}-stop-input`}
          rows={2}
          value={draft.stop}
          placeholder={placeholders.stop ?? t('placeholder.node')}
          onChange={(e) => set('stop', e.target.value)}
          aria-describedby={`${hintId}-stop`}
        />
        <span className="hint" id={`${hintId}-stop`}>
          {t('hint.stop', { max: PARAM_LIMITS.stop.maxItems })}
        </span>
      </div>
    </div>
  );
}
