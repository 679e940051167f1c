// Saving and reading files from the renderer without Node: a Blob download and a File read.

export function downloadText(filename: string, mimeType: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function formatOfFile(name: string): 'json' | 'markdown' | undefined {
  if (/\.json$/i.test(name)) return 'json';
  if (/\.(md|markdown|txt)$/i.test(name)) return 'markdown';
  return undefined;
}
