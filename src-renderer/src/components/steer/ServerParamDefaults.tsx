// A server's model parameter defaults (issue 14 Steer), in the Servers dialog: every chat on this
// server uses them unless it sets its own.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServerProfile } from '../../../../src-shared/ipc/contract';
import { useSteer } from '../../stores/steer';
import { draftOf, paramsOfDraft } from './params-draft';
import { ParamsFields } from './ParamsFields';
import { paramsSummary } from './summary';
import '../../styles/steer.css';
import { FormActions } from '../ui/FormActions';

export function ServerParamDefaults({ server }: { server: ServerProfile }) {
  const { t } = useTranslation('steer');
  const [open, setOpen] = useState(false);
  const defaults = useSteer((s) => s.serverDefaults[server.id]);
  const { loadServerDefaults } = useSteer.getState();
  const toggle = async () => {
    if (!open) await loadServerDefaults(server.id);
    setOpen(!open);
  };
  return (
    <div className="steer-server">
      <button type="button" className="btn btn--ghost btn--small" aria-expanded={open} onClick={() => void toggle()} aria-label={t('server.toggle', { server: server.name })}>
        {t('server.button')}
      </button>
      {!open && defaults && <span className="hint"> {paramsSummary(defaults)}</span>}
      {open && <DefaultsForm server={server} onDone={() => setOpen(false)} />}
    </div>
  );
}

function DefaultsForm({ server, onDone }: { server: ServerProfile; onDone(): void }) {
  const { t } = useTranslation('steer');
  const defaults = useSteer((s) => s.serverDefaults[server.id]);
  const save = useSteer((s) => s.saveServerDefaults);
  const [draft, setDraft] = useState(() => draftOf(defaults));
  const [error, setError] = useState<string>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = paramsOfDraft(draft);
    if ('error' in parsed) return setError(parsed.error);
    const outcome = await save(server.id, parsed.params);
    if (outcome.ok) onDone();
    else setError(outcome.text);
  };
  return (
    <form className="steer-server__form" noValidate onSubmit={(e) => void submit(e)} aria-label={t('server.title', { server: server.name })}>
      <p className="hint">{t('server.explain')}</p>
      <ParamsFields draft={draft} onChange={setDraft} />
      <FormActions onCancel={onDone} primaryLabel={t('server.save')} error={error} />
    </form>
  );
}
