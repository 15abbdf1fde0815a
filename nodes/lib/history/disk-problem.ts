import { accessSync, constants as fsConstants } from 'node:fs';
import path from 'node:path';

/** The disk problem behind a write error, in words staff and integrators search for. */
export function diskProblem(err: Error): string {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'SQLITE_FULL') return 'disk full';
  if (code.startsWith('SQLITE_READONLY')) return 'disk read-only';
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) return 'disk error';
  return 'history write failed';
}

/** SQLite says only "unable to open": the folder tells whether the disk is read-only. */
export function openProblem(err: Error, file: string): string {
  try {
    accessSync(path.dirname(file), fsConstants.W_OK);
  } catch (e) {
    if ((e as { code?: string }).code === 'EROFS') return 'disk read-only';
  }
  return diskProblem(err);
}
