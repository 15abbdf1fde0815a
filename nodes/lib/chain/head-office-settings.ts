import path from 'node:path';
import type { IClientOptions } from 'mqtt';
import { textSetting } from '../settings/editor-fields';
import { redact } from '../text/redact';
import { brokerCredentials, brokerOptions } from './broker';

/** The head-office node's fields (the editor's `defaults`). */
export interface HeadOfficeFields {
  url: string;
  caFile: string;
  database: string;
  file: string;
  clientId: string;
}

export interface HeadOfficeCredentials {
  username?: string;
  password?: string;
  dbPassword?: string;
}

/** Head office at work: where it listens, where it writes, where it keeps what waits. */
export interface HeadOfficeSettings {
  broker: { url: string; options: IClientOptions };
  /** postgres://user@host:5432/database, no password in it. */
  database: string;
  dbPassword?: string;
  /** The spool's file (absolute). */
  spoolFile: string;
  /** Passwords that must not reach the log or the status. */
  secrets: string[];
}

/**
 * Head office's settings from its fields, credentials and the environment; `{ off }` (the status's
 * words) while the broker or the database is unset. Throws a bad setting's problem, secrets hidden.
 */
export function headOfficeSettings(
  fields: HeadOfficeFields,
  credentials: HeadOfficeCredentials | undefined,
  userDir: string,
): HeadOfficeSettings | { off: string } {
  const url = textSetting(fields.url);
  const database = textSetting(fields.database);
  if (url === '' || database === '')
    return { off: `off: no ${url === '' ? 'broker URL (MQTT_URL)' : 'database URL (PG_URL)'}` };
  const { username, password } = brokerCredentials(credentials);
  const dbPassword = credentials?.dbPassword || process.env.PGPASSWORD || undefined;
  const secrets = [password ?? '', dbPassword ?? ''];
  try {
    const broker = brokerOptions({
      url,
      username,
      password,
      caFile: textSetting(fields.caFile) || undefined,
      clientId: textSetting(fields.clientId) || 'store-analytics-head-office',
      // Kept at the broker while head office is away: what it has not acknowledged waits there.
      persistentSession: true,
    });
    const dbUrl = new URL(database);
    if (!/^postgres(ql)?:$/.test(dbUrl.protocol))
      throw new Error('the database URL must be postgres://user@host:5432/database');
    if (dbUrl.password)
      throw new Error('put the database password in the credentials (or PGPASSWORD), not in the URL');
    const spoolFile = path.resolve(userDir, textSetting(fields.file) || path.join('data', 'head-office.db'));
    return { broker, database, dbPassword, spoolFile, secrets };
  } catch (err) {
    throw new Error(redact((err as Error).message, secrets));
  }
}
