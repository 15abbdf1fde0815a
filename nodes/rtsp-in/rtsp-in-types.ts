import type { NodeDef, NodeMessage } from 'node-red';
import type { RtspTransport } from '../lib/video/camera-source';

/** The editor's `defaults`; every key here is a field of rtsp-in.html. */
export interface RtspInDef extends NodeDef {
  url: string;
  cameraId: string;
  transport: RtspTransport;
  loop: boolean;
  realtime: boolean;
  fps: string | number;
  width: string | number;
  height: string | number;
  quality: string | number;
  stallTimeout: string | number;
  autoStart: boolean;
}

export interface RtspInCredentials {
  user?: string;
  password?: string;
}

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

export interface FrameMessage extends NodeMessage {
  payload: Buffer;
  frame: FrameInfo;
}
