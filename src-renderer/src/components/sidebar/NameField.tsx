// A name typed in place in the sidebar (a chat's or a folder's): Enter or leaving the field
// saves, Escape cancels (and does not reach the window's Escape = stop).
import type { RefObject } from 'react';

export interface NameFieldProps {
  field: RefObject<HTMLInputElement | null>;
  label: string;
  value: string;
  maxLength: number;
  placeholder?: string;
  className?: string;
  onChange(value: string): void;
  onDone(save: boolean): void;
}

export function NameField({ field, label, value, maxLength, placeholder, className, onChange, onDone }: NameFieldProps) {
  return (
    <input
      ref={field}
      className={className ?? 'conv-item__rename'}
      aria-label={label}
      value={value}
      maxLength={maxLength}
      placeholder={placeholder}
      onChange={(e) => onChange(e.target.value)}
      onBlur={() => onDone(true)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onDone(true);
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onDone(false);
        }
      }}
    />
  );
}
