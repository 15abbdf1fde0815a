import type { HistoryAnswer, HistoryRow } from './history-query';

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote, a line break or edge spaces. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (fields: ReadonlyArray<string | number | null | undefined>) =>
  fields.map(csvField).join(',') + '\r\n';

/**
 * The rows as CSV: a header, then one line per step and camera; a line's and a zone's numbers in
 * columns named after them. Missing data are empty cells (never 0), so a spreadsheet's SUM and
 * AVERAGE skip them.
 */
export function historyCsv(answer: HistoryAnswer): string {
  const header = [
    'time',
    'camera',
    'covered_seconds',
    'gap_seconds',
    'people_mean',
    'people_max',
    'visitors',
    'activity_seconds',
    'footfall_in',
    'footfall_out',
    ...answer.lines.flatMap((l) => [`${l} in`, `${l} out`]),
    ...answer.zones.flatMap((z) => [
      `${z} occupancy_mean`,
      `${z} occupancy_max`,
      `${z} visits`,
      `${z} dwell_mean_seconds`,
    ]),
  ];
  const present = (row: HistoryRow) => row.peopleMean !== null;
  const lines = answer.rows.map((row) =>
    csvLine([
      row.time,
      row.camera,
      row.coveredSeconds,
      row.gapSeconds,
      row.peopleMean,
      row.peopleMax,
      row.visitors,
      row.activitySeconds,
      row.footfallIn,
      row.footfallOut,
      // A line or zone this camera does not have, or a minute without data: empty.
      ...answer.lines.flatMap((l) => {
        const v = present(row) ? row.lines[l] : undefined;
        return [v?.in, v?.out];
      }),
      ...answer.zones.flatMap((z) => {
        const v = present(row) ? row.zones[z] : undefined;
        return [v?.occupancyMean, v?.occupancyMax, v?.visits, v?.dwellMeanSeconds];
      }),
    ]),
  );
  return csvLine(header) + lines.join('');
}
