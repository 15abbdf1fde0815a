/** What head office's status shows (the node maps `state` to Node-RED's colours). */
export interface HeadOfficeStatus {
  state: 'ok' | 'connecting' | 'error';
  text: string;
}

/**
 * The status from the most pressing thing: the database's problem (messages wait), then the broker's,
 * then the connection, else the counts; the messages waiting in the spool always show.
 */
export function headOfficeStatus(s: {
  databaseProblem: string;
  brokerProblem: string;
  connected: boolean;
  written: number;
  refused: number;
  buffered: number;
}): HeadOfficeStatus {
  const held = s.buffered > 0 ? ` · ${s.buffered} buffered` : '';
  if (s.databaseProblem) return { state: 'error', text: `PostgreSQL: ${s.databaseProblem}${held}` };
  if (s.brokerProblem) return { state: 'error', text: `${s.brokerProblem}${held}` };
  if (!s.connected) return { state: 'connecting', text: `connecting${held}` };
  return { state: 'ok', text: `${s.written} written${s.refused ? `, ${s.refused} refused` : ''}${held}` };
}
