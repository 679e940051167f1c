// Why a form cannot be sent, read out as soon as it appears.
import type { ReactNode } from 'react';

export function FormError({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <p className="form-error" id={id} role="alert">
      {children}
    </p>
  );
}
