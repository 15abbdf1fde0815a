import type { CameraStatus } from './ffmpeg-camera';

/** How rtsp-in shows a state (after Node-RED's core nodes: see nodes/shared/status.ts). */
export type StatusState = 'idle' | 'connecting' | 'ok' | 'error';

/** rtsp-in's status for a camera's state; the camera id leads, so a status node can tell cameras apart. */
export function cameraStatusText(
  cameraId: string,
  status: CameraStatus,
): { state: StatusState; text: string } {
  switch (status.state) {
    case 'stopped':
      return { state: 'idle', text: `${cameraId}: stopped` };
    case 'connecting':
      return { state: 'connecting', text: `${cameraId}: connecting` };
    case 'streaming':
      return { state: 'ok', text: `${cameraId}: streaming ${status.fps.toFixed(1)} fps` };
    case 'reconnecting':
      return {
        state: 'error',
        text: `${cameraId}: ${status.failure.message} - reconnecting in ${Math.ceil(status.retryInMs / 1000)} s`,
      };
    case 'ended':
      return { state: 'idle', text: `${cameraId}: end of video` };
  }
}
