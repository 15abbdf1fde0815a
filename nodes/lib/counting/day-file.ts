import path from 'node:path';
import { JsonFile } from '../storage/json-file';
import { safeName } from '../storage/safe-name';
import type { DayFile } from './camera-days';

/** `<directory>/YYYYMMDD/<camera>.<kind>.<node id>.json`: one file per day, camera and node. */
export function dayFilePath(
  directory: string,
  day: string,
  cameraId: string,
  kind: string,
  nodeId: string,
): string {
  return path.join(directory, day, `${safeName(cameraId)}.${kind}.${safeName(nodeId)}.json`);
}

/** Where and how a counting node writes its days. */
export interface DayFileSettings {
  directory: string;
  /** "footfall", "zones": the file name's middle part. */
  kind: string;
  nodeId: string;
  /** A change reaches the disk this soon (a SIGKILL loses at most this much). */
  delayMs: number;
  /** A write failed (the day stays in memory and the write is tried again). */
  onError(err: Error): void;
}

/** The files of a counting node's days, as CameraDays opens them. */
export function dayFiles(settings: DayFileSettings): (cameraId: string, day: string) => DayFile {
  const { directory, kind, nodeId, delayMs, onError } = settings;
  return (cameraId, day) =>
    new JsonFile(dayFilePath(directory, day, cameraId, kind, nodeId), delayMs, onError);
}
