import rtspInNode from '../../../nodes/rtsp-in/rtsp-in';
import type { FrameMessage } from '../../../nodes/rtsp-in/rtsp-in-types';
import trackerNode from '../../../nodes/tracker/tracker';
import type { TracksMessage } from '../../../nodes/tracker/tracker-types';
import yoloDetectNode from '../../../nodes/yolo-detect/yolo-detect';
import type { DetectionsMessage } from '../../../nodes/yolo-detect/yolo-detect-types';
import yoloModelNode from '../../../nodes/yolo-model/yolo-model';
import { demoClip } from '../../../support/assets';

/** rtsp-in -> yolo-detect -> tracker -> helper "out", with the yolo-model config: the specs of these nodes run it on the clip. */
export const NODES = [rtspInNode, yoloModelNode, yoloDetectNode, trackerNode];

export function pipeline(
  extra: {
    modelPath?: string;
    autoStart?: boolean;
    detectEvery?: number;
    sessions?: number;
    inputSize?: string | number;
    url?: string;
    loop?: boolean;
  } = {},
) {
  return [
    {
      id: 'model',
      type: 'yolo-model',
      modelPath: extra.modelPath ?? '',
      // The shipped flow's settings: 1 thread, parallel sessions auto (one per core).
      threads: 1,
      sessions: extra.sessions ?? 0,
      executionProvider: 'cpu',
      ...(extra.inputSize === undefined ? {} : { inputSize: extra.inputSize }),
    },
    {
      id: 'cam',
      type: 'rtsp-in',
      url: extra.url ?? demoClip(),
      cameraId: 'plaza',
      loop: extra.loop ?? true,
      realtime: true,
      autoStart: extra.autoStart ?? true,
      wires: [['detect']],
    },
    {
      id: 'detect',
      type: 'yolo-detect',
      model: 'model',
      classes: 'person',
      scoreThreshold: 0.5,
      iouThreshold: 0.7,
      detectEvery: extra.detectEvery ?? 1,
      wires: [['track']],
    },
    { id: 'track', type: 'tracker', wires: [['out']] },
    { id: 'out', type: 'helper' },
  ];
}

export type Out = FrameMessage & DetectionsMessage & TracksMessage;
