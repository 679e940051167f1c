// Which value each parameter has for this chat, and where it comes from (the chat, its server's
// defaults, or the node's own default when nothing is set).
import { useTranslation } from 'react-i18next';
import { STEER_PARAM_NAMES, type ParamsInEffect as Effect } from '../../../../src-shared/vocabulary/steer';
import { Fact, Facts } from '../ui/Facts';
import { shownValue } from './params-draft';

export function ParamsInEffect({ effect }: { effect: Effect }) {
  const { t } = useTranslation('steer');
  return (
    <section className="steer-effect" aria-label={t('effect.title')}>
      <h3 className="steer-effect__title">{t('effect.title')}</h3>
      <Facts>
        {STEER_PARAM_NAMES.map((name) => (
          <Fact key={name} term={t(`param.${name}`)}>
            <span data-param={name}>{shownValue(name, effect.values) ?? t('effect.nodeDefault')}</span>{' '}
            <span className="tag">{t(`source.${effect.source[name]}`)}</span>
          </Fact>
        ))}
      </Facts>
    </section>
  );
}
