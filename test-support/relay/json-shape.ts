// "Same JSON shape" of the replay test: same key sets and value types, recursively; arrays
// compare their first elements when both are non-empty. Numbers are numbers (int vs float free).

export function shapeDiff(expected: unknown, actual: unknown, path = '$'): string[] {
  const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  if (kind(expected) !== kind(actual)) return [`${path}: expected ${kind(expected)}, got ${kind(actual)}`];
  if (Array.isArray(expected) && Array.isArray(actual)) {
    return expected.length > 0 && actual.length > 0 ? shapeDiff(expected[0], actual[0], `${path}[0]`) : [];
  }
  if (kind(expected) === 'object') {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const diffs: string[] = [];
    for (const k of Object.keys(e)) {
      if (!(k in a)) diffs.push(`${path}.${k}: missing`);
      else diffs.push(...shapeDiff(e[k], a[k], `${path}.${k}`));
    }
    for (const k of Object.keys(a)) if (!(k in e)) diffs.push(`${path}.${k}: unexpected`);
    return diffs;
  }
  return [];
}
