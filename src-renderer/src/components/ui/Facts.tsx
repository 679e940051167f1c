// A list of facts (`<dl class="facts">`): a term and its value per row.
import type { ReactNode } from 'react';

export function Facts({ children }: { children: ReactNode }) {
  return <dl className="facts">{children}</dl>;
}

export function Fact({ term, className, title, children }: { term: string; className?: string; title?: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd className={className} title={title}>
        {children}
      </dd>
    </>
  );
}
