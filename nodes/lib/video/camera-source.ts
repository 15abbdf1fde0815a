import path from 'node:path';
import type { ThumbnailSize } from './thumbnail-socket';

/** What kind of source a camera URL names; each needs different ffmpeg input options. */
export type SourceKind = 'rtsp' | 'http' | 'file' | 'v4l2';

export type RtspTransport = 'tcp' | 'udp';

export interface CameraSourceOptions {
  /** `rtsp://host/path`, `http(s)://host/mjpeg`, a video file path (or `file://` URL), `/dev/videoN`. */
  url: string;
  user?: string;
  password?: string;
  /** RTSP only. TCP survives lossy networks and NAT; UDP has lower latency on a clean LAN. */
  transport: RtspTransport;
  /** File only: start again at the end, for demos and tests. */
  loop: boolean;
  /** File only: read at the clip's own frame rate, as a camera would deliver it. */
  realtime: boolean;
  /** Frames per second to emit; 0 keeps the source's rate. */
  fps: number;
  /** Output size; 0 keeps the source's. With one side set the other follows the aspect ratio. */
  width: number;
  height: number;
  /** ffmpeg's MJPEG quality scale, 2 (best, largest) to 31 (worst, smallest). */
  jpegQuality: number;
}

/** rtsp-in's defaults (its editor's too): the source's own rate and size over TCP, MJPEG quality 5. */
export const DEFAULT_SOURCE: Omit<CameraSourceOptions, 'url'> = {
  transport: 'tcp',
  loop: false,
  realtime: true,
  fps: 0,
  width: 0,
  height: 0,
  jpegQuality: 5,
};

export function sourceKind(url: string): SourceKind {
  const lower = url.trim().toLowerCase();
  if (lower.startsWith('rtsp://') || lower.startsWith('rtsps://')) return 'rtsp';
  if (lower.startsWith('http://') || lower.startsWith('https://')) return 'http';
  if (lower.startsWith('/dev/video') || lower.startsWith('v4l2://')) return 'v4l2';
  return 'file';
}

/** Returns a problem with the options in words for the editor, or null when they are usable. */
export function validateSourceOptions(o: CameraSourceOptions): string | null {
  if (!o.url || !o.url.trim()) return 'no camera URL or file is configured';
  const kind = sourceKind(o.url);
  if (kind === 'rtsp' || kind === 'http') {
    try {
      new URL(o.url.trim());
    } catch {
      return 'the camera URL is not a valid URL';
    }
  }
  if (o.transport !== 'tcp' && o.transport !== 'udp') return 'RTSP transport must be tcp or udp';
  if (!Number.isFinite(o.fps) || o.fps < 0 || o.fps > 120) return 'frame rate must be between 0 and 120';
  for (const side of [o.width, o.height]) {
    if (!Number.isInteger(side) || side < 0 || side > 8192) return 'width and height must be 0..8192 pixels';
  }
  if (!Number.isInteger(o.jpegQuality) || o.jpegQuality < 2 || o.jpegQuality > 31) {
    return 'JPEG quality must be between 2 and 31';
  }
  return null;
}

/**
 * The input ffmpeg reads. Credentials are put into the URL here and nowhere else; everything that
 * prints this string must pass it through `redact`.
 */
export function ffmpegInputUrl(o: CameraSourceOptions): string {
  const url = o.url.trim();
  const kind = sourceKind(url);
  if (kind === 'v4l2') return url.replace(/^v4l2:\/\//i, '');
  if (kind === 'file') return url.startsWith('file://') ? new URL(url).pathname : path.resolve(url);
  if (!o.user && !o.password) return url;
  const parsed = new URL(url);
  // The URL setters percent-encode characters such as '@' or ':' in a password.
  if (o.user) parsed.username = o.user;
  if (o.password) parsed.password = o.password;
  return parsed.toString();
}

/** How ffmpeg is told what to open. */
export interface FfmpegInput {
  /** What follows `-i`. */
  target: string;
  /** Options before `-i`. */
  options: string[];
  /** Text to write to ffmpeg's stdin, when `target` reads from it. */
  stdin?: string;
}

/** Protocols a camera URL may need ffmpeg to use, for an input given as an ffconcat list. */
const NETWORK_PROTOCOLS = 'pipe,rtsp,rtsps,rtp,srtp,tcp,udp,tls,http,https,httpproxy,crypto';

/**
 * What ffmpeg opens. A URL with credentials would show the password in the process list (`ps` on
 * the store PC lists every process's command line to every user), so it is handed over on stdin
 * instead: an ffconcat list with the one URL, the camera's input options as `option` lines.
 */
export function ffmpegInput(o: CameraSourceOptions): FfmpegInput {
  const kind = sourceKind(o.url);
  const options = ffmpegInputOptions(o);
  if ((kind !== 'rtsp' && kind !== 'http') || (!o.user && !o.password)) {
    return { target: ffmpegInputUrl(o), options };
  }
  const lines = ['ffconcat version 1.0', `file ${ffconcatQuote(ffmpegInputUrl(o))}`];
  for (let i = 0; i + 1 < options.length; i += 2) {
    lines.push(`option ${options[i].slice(1)} ${ffconcatQuote(options[i + 1])}`);
  }
  return {
    target: 'pipe:0',
    options: [...LIVE_PROBE, '-f', 'concat', '-safe', '0', '-protocol_whitelist', NETWORK_PROTOCOLS],
    stdin: `${lines.join('\n')}\n`,
  };
}

/** ffconcat's quoting: single quotes, a quote inside written as '\'' (as in a shell). */
function ffconcatQuote(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

/**
 * ffmpeg probes a live stream for 5 s by default and then sends the frames it held back in one
 * burst, stamped late. Measured against an RTSP camera: first frame after 2.2 s, then 21 frames
 * within 100 ms; with a 0.5 s probe the first frame came after 0.3 s, evenly paced.
 */
const LIVE_PROBE = ['-analyzeduration', '500000', '-probesize', '500000'];

export function ffmpegInputOptions(o: CameraSourceOptions): string[] {
  switch (sourceKind(o.url)) {
    case 'rtsp':
      return ['-rtsp_transport', o.transport, ...LIVE_PROBE];
    case 'http':
      return [...LIVE_PROBE];
    case 'v4l2':
      return ['-f', 'v4l2'];
    case 'file':
      return [...(o.realtime ? ['-re'] : []), ...(o.loop ? ['-stream_loop', '-1'] : [])];
  }
}

/** What the ffmpeg at hand can do beyond the basics (see ffmpegHasFilter). */
export interface FfmpegFeatures {
  /** The zscale filter (libzimg): a cheaper way to full-range YUV for the JPEG encoder. */
  zscale: boolean;
}

/**
 * The video filter chain for rate, size and colour range, or null when the source is passed as it is.
 * JPEG wants full-range YUV and cameras send limited range: without a filter ffmpeg converts with
 * swscale's general path, ~20 % of its CPU per frame; zscale does the same conversion (the same pixels)
 * for less, and leaves a source that is already full range (MJPEG cameras) as it is.
 */
export function videoFilter(
  o: CameraSourceOptions,
  features: FfmpegFeatures = { zscale: false },
): string | null {
  const filters: string[] = [];
  if (o.fps > 0) filters.push(`fps=${o.fps}`);
  if (o.width > 0 && o.height > 0) {
    filters.push(`scale=${o.width}:${o.height}:force_original_aspect_ratio=decrease`);
  } else if (o.width > 0) {
    filters.push(`scale=${o.width}:-2`);
  } else if (o.height > 0) {
    filters.push(`scale=-2:${o.height}`);
  }
  if (features.zscale) filters.push('zscale=range=full');
  return filters.length > 0 ? filters.join(',') : null;
}

/**
 * ffmpeg writes one JPEG per frame to stdout: the cheapest frame to pass between Node-RED nodes
 * (~60 KB instead of 1.3 MB raw) and already what an MJPEG viewer needs.
 */
export function ffmpegOutputOptions(o: CameraSourceOptions, features?: FfmpegFeatures): string[] {
  const filter = videoFilter(o, features);
  return [
    '-an',
    ...(filter ? ['-vf', filter] : []),
    // Pass frames on as they come (no duplicates to reach a constant rate), but drop a frame whose
    // timestamp repeats the previous one: RTSP cameras sometimes start that way, and the MJPEG
    // encoder stops on it ("Invalid pts") with passthrough. (-vsync works in ffmpeg 4 to 6.)
    '-vsync',
    'vfr',
    '-c:v',
    'mjpeg',
    '-q:v',
    String(o.jpegQuality),
    '-f',
    'image2pipe',
  ];
}

/**
 * ffmpeg's options for two outputs of the same frames: the JPEGs (as ffmpegOutputOptions) and a small
 * grey picture of each, raw bytes, for a second target. ffmpeg scales the frame it has already decoded,
 * ~0.1-0.3 ms per frame, where decoding the JPEG again in Node costs ~2.5 ms (bench/motion-input.ts).
 */
export function ffmpegOutputsWithThumbnail(
  o: CameraSourceOptions,
  size: ThumbnailSize,
  features?: FfmpegFeatures,
): { frames: string[]; thumbnail: string[] } {
  const chain = videoFilter(o, features);
  const graph =
    `[0:v]${chain ? `${chain},` : ''}split=2[frames][small];` +
    `[small]scale=${size.width}:${size.height},format=gray[thumbnail]`;
  // The filters are in the graph: the JPEG output's own options without them.
  const unfiltered = { ...o, fps: 0, width: 0, height: 0 };
  return {
    frames: ['-filter_complex', graph, '-map', '[frames]', ...ffmpegOutputOptions(unfiltered)],
    thumbnail: ['-map', '[thumbnail]', '-vsync', 'vfr', '-f', 'rawvideo'],
  };
}
