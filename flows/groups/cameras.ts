/**
 * The cameras group: one rtsp-in node per camera, stacked, all wired to the link "to the pipeline".
 *
 *   camera-1 ─┐
 *   camera-2 ─┼─> [to the pipeline] ~~> pipeline's "camera frames"
 *   ...      ─┘
 */
import { DEFAULT_SOURCE } from '../../nodes/lib/video/camera-source';
import { FlowGroup, FlowNode, flowGroup } from '../builder/layout';
import { comment, linkOut, node } from '../builder/nodes';

export interface CameraSpec {
  /** Camera id: keys its heat, numbers, feeds and saved day. */
  id: string;
  /** Stream URL, or an environment reference such as ${CAMERA_URL} (credentials stay out of the flow). */
  url: string;
}

/** The environment variable that holds camera n's URL (1-based): CAMERA_URL, then CAMERA_URL_2, ... */
export function cameraUrlVariable(n: number): string {
  return n === 1 ? 'CAMERA_URL' : `CAMERA_URL_${n}`;
}

/** Cameras camera-1..camera-n, each reading its URL from the environment. */
export function camerasFromEnvironment(count: number): CameraSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `camera-${i + 1}`,
    url: `\${${cameraUrlVariable(i + 1)}}`,
  }));
}

/** Where the cameras group ends (its note): it grows downwards with each camera. */
export function camerasBottom(cameras: readonly CameraSpec[]): number {
  return 100 + 60 * cameras.length;
}

/** The rtsp-in node of one camera (the editor's defaults for everything else). */
function cameraNode(camera: CameraSpec, index: number): FlowNode {
  const id = index === 0 ? 'sa-camera' : `sa-camera-${index + 1}`;
  return node(
    'rtsp-in',
    id,
    camera.id,
    160,
    100 + 60 * index,
    {
      url: camera.url,
      cameraId: camera.id,
      transport: DEFAULT_SOURCE.transport,
      loop: true, // the demo clip plays on; a camera stream has no end
      realtime: DEFAULT_SOURCE.realtime,
      fps: DEFAULT_SOURCE.fps,
      width: DEFAULT_SOURCE.width,
      height: DEFAULT_SOURCE.height,
      quality: DEFAULT_SOURCE.jpegQuality,
      stallTimeout: 10,
      autoStart: true,
    },
    [['sa-frames-out']],
  );
}

export function camerasGroup(cameras: readonly CameraSpec[]): FlowGroup {
  return flowGroup('sa-g-cameras', 'Cameras: one rtsp-in per camera', 'cameras', [
    ...cameras.map(cameraNode),
    linkOut('sa-frames-out', 'to the pipeline', 380, 100, ['sa-frames-in']),
    comment(
      'sa-cameras-note',
      'Add a camera: copy camera-1, wire it here',
      250,
      camerasBottom(cameras),
      'Each camera is one rtsp-in node wired to the link "to the pipeline". To add one: select camera-1, ' +
        'copy and paste it (Ctrl+C, Ctrl+V), set its URL and a camera id of its own (camera-2, ...), and ' +
        'wire it to "to the pipeline". Everything downstream keeps each camera apart: its own heat, ' +
        'numbers, video at /video_feed/<camera id> and /overlay_feed/<camera id>, and its own saved day.\n\n' +
        'Without the editor: `CAMERA_URLS="rtsp://... rtsp://..." npm start` builds this flow with one ' +
        'node per URL on first start.',
    ),
  ]);
}
