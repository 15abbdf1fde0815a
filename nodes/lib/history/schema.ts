/**
 * The history database's schema, as the steps that build it: `PRAGMA user_version` says how many
 * have run, and opening a database runs the rest, each in its own transaction. A step, once
 * released, is never changed: a later change is a new step, so every older database finds its way.
 *
 * Cameras, lines and zones are small integers in the rows (WITHOUT ROWID tables keyed by camera and
 * minute): a year of one camera's minutes is ~half a million rows, and names repeated in each would
 * double the file.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: minute rows per camera, with line and zone rows beside them.
  `CREATE TABLE names (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, UNIQUE (kind, name));
   CREATE TABLE minutes (
     camera INTEGER NOT NULL, minute INTEGER NOT NULL,
     covered_s REAL NOT NULL, people_s REAL NOT NULL, people_max INTEGER NOT NULL,
     visitors INTEGER NOT NULL,
     PRIMARY KEY (camera, minute)) WITHOUT ROWID;
   CREATE TABLE line_minutes (
     camera INTEGER NOT NULL, minute INTEGER NOT NULL, line INTEGER NOT NULL,
     in_count INTEGER NOT NULL, out_count INTEGER NOT NULL,
     PRIMARY KEY (camera, minute, line)) WITHOUT ROWID;
   CREATE TABLE zone_minutes (
     camera INTEGER NOT NULL, minute INTEGER NOT NULL, zone INTEGER NOT NULL,
     occupancy_s REAL NOT NULL, occupancy_max INTEGER NOT NULL, visits INTEGER NOT NULL,
     dwells INTEGER NOT NULL, dwell_s REAL NOT NULL,
     PRIMARY KEY (camera, minute, zone)) WITHOUT ROWID;
   CREATE TABLE cursors (
     camera INTEGER NOT NULL, key TEXT NOT NULL, period TEXT NOT NULL, value REAL NOT NULL,
     PRIMARY KEY (camera, key)) WITHOUT ROWID;`,
  // 2: the heatmap's activity per minute (rows written before have none: read as missing).
  `ALTER TABLE minutes ADD COLUMN activity_s REAL;`,
  // 3: each hour's heat grid, and the person-free background of each camera.
  `CREATE TABLE heat_hours (
     camera INTEGER NOT NULL, hour INTEGER NOT NULL, started_at INTEGER NOT NULL,
     cols INTEGER NOT NULL, rows INTEGER NOT NULL, cell_size INTEGER NOT NULL,
     width INTEGER NOT NULL, height INTEGER NOT NULL,
     cells BLOB NOT NULL,
     PRIMARY KEY (camera, hour)) WITHOUT ROWID;
   CREATE TABLE backgrounds (
     camera INTEGER PRIMARY KEY, width INTEGER NOT NULL, height INTEGER NOT NULL,
     updated_at INTEGER NOT NULL, frames INTEGER NOT NULL, pixels BLOB NOT NULL);
   CREATE TABLE runs (
     started_at INTEGER PRIMARY KEY, last_write INTEGER, ended_at INTEGER);`,
  // 4: the minutes summed by quarter hour (keyed by the quarter's first minute), written with them:
  // hour and day queries read 15 times fewer rows (every time zone's hours and days start on a
  // quarter). Filled from the minutes already there.
  `CREATE TABLE quarters (
     camera INTEGER NOT NULL, minute INTEGER NOT NULL,
     covered_s REAL NOT NULL, people_s REAL NOT NULL, people_max INTEGER NOT NULL,
     visitors INTEGER NOT NULL, activity_s REAL,
     PRIMARY KEY (camera, minute)) WITHOUT ROWID;
   CREATE TABLE line_quarters (
     camera INTEGER NOT NULL, minute INTEGER NOT NULL, line INTEGER NOT NULL,
     in_count INTEGER NOT NULL, out_count INTEGER NOT NULL,
     PRIMARY KEY (camera, minute, line)) WITHOUT ROWID;
   CREATE TABLE zone_quarters (
     camera INTEGER NOT NULL, minute INTEGER NOT NULL, zone INTEGER NOT NULL,
     occupancy_s REAL NOT NULL, occupancy_max INTEGER NOT NULL, visits INTEGER NOT NULL,
     dwells INTEGER NOT NULL, dwell_s REAL NOT NULL,
     PRIMARY KEY (camera, minute, zone)) WITHOUT ROWID;
   INSERT INTO quarters
     SELECT camera, minute / 15 * 15, sum(covered_s), sum(people_s), max(people_max), sum(visitors),
       sum(activity_s)
     FROM minutes GROUP BY camera, minute / 15;
   INSERT INTO line_quarters
     SELECT camera, minute / 15 * 15, line, sum(in_count), sum(out_count)
     FROM line_minutes GROUP BY camera, minute / 15, line;
   INSERT INTO zone_quarters
     SELECT camera, minute / 15 * 15, zone, sum(occupancy_s), max(occupancy_max), sum(visits), sum(dwells),
       sum(dwell_s)
     FROM zone_minutes GROUP BY camera, minute / 15, zone;`,
  // 5: the outbox of a store reporting to head office (nodes/lib/chain/outbox.ts): the row id is the
  // store's sequence number, never reused (AUTOINCREMENT).
  `CREATE TABLE outbox (
     seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, topic TEXT NOT NULL, body TEXT NOT NULL,
     at INTEGER NOT NULL);
   CREATE INDEX outbox_at ON outbox (at);`,
  // 6: what the store's uplink set (its store id: while set, each write queues its minutes) and how
  // far it got (the last hour of heat queued, per camera).
  `CREATE TABLE chain (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
