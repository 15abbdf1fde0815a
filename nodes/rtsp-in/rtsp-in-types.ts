import type { NodeDef, NodeMessage } from 'node-red';
import type { CameraFields } from '../lib/video/camera-settings';
import type { CameraFrameMessage, FrameInfo } from '../lib/video/frame-message';

export type { FrameInfo };

/** The editor's `defaults`; every key here is a field of rtsp-in.html. */
export type RtspInDef = NodeDef & CameraFields & { autoStart: boolean };

export interface RtspInCredentials {
  user?: string;
  password?: string;
}

export type FrameMessage = NodeMessage & CameraFrameMessage;
