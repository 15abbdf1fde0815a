import type { CpuSplit } from './cpu-split';

export type FlowNode = Record<string, unknown> & { id: string; type: string; wires?: string[][] };

/** Everything one scenario measured. */
export interface ScenarioResult {
  name: string;
  cameras: number;
  seconds: number;
  detectedPerCamera: Record<string, number>;
  /** Frames that reached the tracker (every frame, detected or predicted), per camera. */
  trackedPerCamera: Record<string, number>;
  /** Frames the motion gate passed over, and frames a newer one replaced while the model was busy. */
  motionSkippedPerCamera: Record<string, number>;
  /** Detected frames by the model input they ran at ("416x320"). */
  modelInputs: Record<string, number>;
  loadDroppedPerCamera: Record<string, number>;
  /** Capture to tracks (the tracker's message reaching the heatmap), ms, per camera. */
  tracksLatencyPerCamera: Record<string, number[]>;
  droppedPerCamera: Record<string, number>;
  pipelineFps: number;
  latency: number[];
  /** Capture to detections out (ours: reaching the tracker; the peer: leaving its node), [s into the run, ms]. */
  detectionLatency: Array<[number, number]>;
  /** People found per detected frame. */
  peoplePerFrame: number[];
  /** RSS each second of the run, MB. */
  rssSeries: number[];
  /**
   * Every 10 s: seconds into the run, RSS, the JS heap in use, memory outside the JS heap that JS objects
   * hold (Buffers: frames, JPEGs), open handles, ffmpeg processes, frames detected so far.
   */
  series: Array<{
    t: number;
    rssMb: number;
    heapUsedMb: number;
    externalMb: number;
    handles: number;
    ffmpegProcesses: number;
    detected: number;
  }>;
  stages: Array<{ stage: string; samples: number[]; perFrameCpuMs?: number }>;
  processCpuPercent: number;
  ffmpegCpuPercent: number;
  /** CPU time (ms) over the measured run: the Node-RED process by kind of thread, and its ffmpeg processes. */
  cpuMs: CpuSplit & { ffmpeg: number };
  /** Mean RSS of the first and of the last 5 s of the run, MB. */
  rssStartMb: number;
  rssEndMb: number;
  viewerFps: number[];
}

/** How a scenario runs: its warm-up and measured seconds, viewers, and how to find its ffmpeg. */
export interface ScenarioOptions {
  warmup: number;
  seconds: number;
  /** Paths of the MJPEG streams to hold a viewer on. */
  viewerPaths: string[];
  /** A string on the command line of the scenario's ffmpeg (the clip or camera URL). */
  ffmpegMarker: string;
  /** Extra folders Node-RED loads nodes from (the peer). */
  nodesDirs?: string[];
  /** Per-frame timings and latencies (default on); a soak only counts frames, so its memory is the pipeline's. */
  keepSamples?: boolean;
}
