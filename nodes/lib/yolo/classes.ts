/** Resolves "person, car" or "0, 2" to class ids with the model's names; null keeps all classes. */
export function resolveClasses(spec: string, names: readonly string[]): number[] | null | Error {
  const parts = spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0 || parts.includes('*')) return null;
  const ids: number[] = [];
  for (const part of parts) {
    const byName = names.findIndex((n) => n.toLowerCase() === part.toLowerCase());
    const id = byName >= 0 ? byName : /^\d+$/.test(part) ? Number(part) : -1;
    if (id < 0 || (names.length > 0 && id >= names.length)) {
      return new Error(`the model has no class "${part}" (it knows ${names.slice(0, 5).join(', ')}...)`);
    }
    ids.push(id);
  }
  return ids;
}
