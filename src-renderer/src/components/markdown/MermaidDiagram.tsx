// A ```mermaid block drawn as a picture (see diagram-image.ts for how it stays inside the CSP).
// A diagram that cannot be drawn shows its source and a short reason; it never breaks the answer.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { drawDiagram, type DiagramImage } from './diagram-image';
import { useDocumentTheme } from './useDocumentTheme';

export function MermaidDiagram({ source }: { source: string }) {
  const { t } = useTranslation('chat');
  const theme = useDocumentTheme();
  const key = `${theme}\n${source}`;
  const [drawn, setDrawn] = useState<{ key: string; image: DiagramImage } | null>(null);

  useEffect(() => {
    let live = true;
    void drawDiagram(source, theme).then((image) => {
      if (live) setDrawn({ key, image });
    });
    return () => {
      live = false;
    };
  }, [source, theme, key]);

  const image = drawn?.key === key ? drawn.image : null;
  if (!image) {
    return (
      <div className="diagram diagram--drawing" role="status">
        {t('diagram.drawing')}
      </div>
    );
  }
  if (!image.ok) {
    return (
      <div className="diagram diagram--failed">
        <p className="diagram__error" role="note">
          {t('diagram.failed', { reason: image.reason })}
        </p>
        <pre className="diagram__source" tabIndex={0} aria-label={t('diagram.source')}>
          <code>{source}</code>
        </pre>
      </div>
    );
  }
  return (
    <figure className="diagram">
      <img src={image.url} width={image.width} height={image.height} alt={t('diagram.picture', { kind: summary(source) })} />
      <details className="diagram__details">
        <summary>{t('diagram.source')}</summary>
        <pre className="diagram__source" tabIndex={0} aria-label={t('diagram.source')}>
          <code>{source}</code>
        </pre>
      </details>
    </figure>
  );
}

/** The first line of the source ("flowchart LR", "sequenceDiagram") names what kind of diagram it is. */
function summary(source: string): string {
  return source.trim().split('\n')[0]?.trim() ?? '';
}
