/** YYYYMMDD of a time in the machine's local time zone: the store's calendar day, and its folder's name on disk. */
export function dayFolder(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}`;
}
