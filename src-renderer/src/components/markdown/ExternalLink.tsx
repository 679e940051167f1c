// Links in an answer open in the system browser (never inside the app window); images become links.
import { useTranslation } from 'react-i18next';
import type { ComponentPropsWithoutRef, MouseEvent } from 'react';
import { useApp } from '../../stores/app';

export function ExternalLink({ href, children }: ComponentPropsWithoutRef<'a'>) {
  const openExternal = useApp((s) => s.openExternal);
  const open = (e: MouseEvent) => {
    e.preventDefault();
    if (href) openExternal(href);
  };
  return (
    <a href={href} onClick={open} rel="noreferrer noopener" title={href}>
      {children}
    </a>
  );
}

/** Remote images would leak that the answer was read; show them as links instead. */
export function ImageAsLink({ src, alt }: ComponentPropsWithoutRef<'img'>) {
  const { t } = useTranslation('chat');
  const href = typeof src === 'string' ? src : undefined;
  return <ExternalLink href={href}>{t('image', { name: alt || href || t('imageUntitled') })}</ExternalLink>;
}
