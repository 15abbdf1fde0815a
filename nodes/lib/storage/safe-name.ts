/**
 * A camera id (or node id) as a file-name part: letters, digits, - and _ only, at most 64 characters,
 * so an id from a flow can never name a path outside the folder it is written in.
 */
export function safeName(id: string): string {
  const cleaned = id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  return cleaned || 'camera';
}
