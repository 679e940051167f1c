// One titled section of a dialog (`.panel`). With `actions` (even when they render nothing right
// now) the title sits in a head row with the actions at its end.
import { useId, type ReactNode } from 'react';

export interface PanelProps {
  title: string;
  actions?: ReactNode;
  children?: ReactNode;
}

export function Panel({ title, actions, children }: PanelProps) {
  const headingId = useId();
  const heading = <h3 id={headingId}>{title}</h3>;
  return (
    <section className="panel" aria-labelledby={headingId}>
      {actions === undefined ? (
        heading
      ) : (
        <div className="panel__head">
          {heading}
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}
