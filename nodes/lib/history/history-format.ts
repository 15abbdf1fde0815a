/** How history answers a query: rows as JSON or CSV, heat as a PNG, or the dashboard's report. */
export type HistoryFormat = 'json' | 'csv' | 'png' | 'report';

/** The paths history answers over HTTP, by their end (the flow's `http in` nodes may sit under a prefix). */
const PATH_FORMATS: ReadonlyArray<[RegExp, HistoryFormat]> = [
  [/\/history\.csv$/, 'csv'],
  [/\/heatmap\.png$/, 'png'],
  [/\/history$/, 'json'],
];

/** The format an HTTP request's path asks for (that is what the path means), or null: not history's path. */
export function historyFormatOfPath(requestPath: string): HistoryFormat | null {
  for (const [end, format] of PATH_FORMATS) if (end.test(requestPath)) return format;
  return null;
}

/** The paths of historyFormatOfPath, in words (an error for a request wired here by mistake). */
export const HISTORY_PATHS = '/history, /history.csv or /heatmap.png';

/** The format a flow's query asks for: msg.topic "history/report", else msg.payload.format (json by default). */
export function historyFormatOfQuery(topic: unknown, query: Record<string, unknown>): HistoryFormat {
  if (topic === 'history/report') return 'report';
  return query.format === 'csv' ? 'csv' : query.format === 'png' ? 'png' : 'json';
}

/** The parameters of a query (msg.payload from a flow, req.query over HTTP): an object, else none. */
export function queryOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
