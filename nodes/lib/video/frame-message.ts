import type { CameraFrame } from './ffmpeg-camera';

/** What travels in `msg.frame` next to the JPEG in `msg.payload`. */
export interface FrameInfo {
  /** Which camera: the node's camera id, else its name, else its node id. */
  sourceId: string;
  seq: number;
  /** ms since epoch when the frame arrived from the camera. */
  capturedAt: number;
  width: number;
  height: number;
  format: 'jpeg';
  /**
   * A small grey picture of the frame made by ffmpeg (one byte per pixel), for yolo-detect's motion
   * gate; it may be a frame behind the JPEG. Absent when ffmpeg had none ready.
   */
  thumbnail?: { width: number; height: number; grey: Buffer };
}

/** A camera frame as rtsp-in sends it: the camera id in msg.topic, the JPEG in msg.payload. */
export interface CameraFrameMessage {
  topic: string;
  payload: Buffer;
  frame: FrameInfo;
}

/** The message for one of `sourceId`'s frames; `thumbnailSize` is the size ffmpeg made its grey picture. */
export function cameraFrameMessage(
  sourceId: string,
  frame: CameraFrame,
  thumbnailSize: { readonly width: number; readonly height: number },
): CameraFrameMessage {
  return {
    topic: sourceId,
    payload: frame.jpeg,
    frame: {
      sourceId,
      seq: frame.seq,
      capturedAt: frame.capturedAt,
      width: frame.width,
      height: frame.height,
      format: 'jpeg',
      ...(frame.thumbnail ? { thumbnail: { ...thumbnailSize, grey: frame.thumbnail } } : {}),
    },
  };
}
