import { camerasOf, commandOf, selects, type CommandMessage } from '../control/command';

/** The commands rtsp-in takes, by msg.topic. */
export const CAMERA_COMMANDS = ['start', 'stop', 'restart'] as const;

/** What a command acts on (FfmpegCamera). */
export interface CommandableCamera {
  start(): void;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

/**
 * Carries out a start, stop or restart command on `camera` when `msg.cameras` names `cameraId` (or
 * every camera); a command for other cameras does nothing. Rejects when msg.cameras cannot be read.
 */
export async function runCameraCommand(
  camera: CommandableCamera,
  cameraId: string,
  msg: CommandMessage,
): Promise<void> {
  if (!selects(camerasOf(msg), cameraId)) return;
  const command = commandOf(msg, CAMERA_COMMANDS);
  if (command === 'start') camera.start();
  else if (command === 'stop') await camera.stop();
  else if (command === 'restart') await camera.restart();
}
