import { SharedDetector, type SharedDetectorOptions } from '../../nodes/lib/yolo/shared-detector';

/** People at the default flow's thresholds: what the benchmark's detectors are asked for. */
export const PEOPLE = { scoreThreshold: 0.5, iouThreshold: 0.7, classes: [0] };

/**
 * Starts the shared detector for `options`, lets each of its sessions detect in one of `frames` (so
 * timePureInference afterwards runs the model on real pixels), hands it to `use`, and releases it.
 */
export async function withPrimedDetector<T>(
  modelPath: string,
  options: SharedDetectorOptions,
  frames: Buffer[],
  use: (detector: SharedDetector) => Promise<T>,
): Promise<T> {
  const detector = SharedDetector.acquire(modelPath, options);
  // One client per session, all sending at once: every session gets a frame.
  const clients = Array.from({ length: options.sessions ?? 1 }, () => detector.client());
  try {
    await detector.ready;
    await Promise.all(clients.map((client, i) => client.detect(frames[(i * 7) % frames.length], PEOPLE)));
    return await use(detector);
  } finally {
    for (const client of clients) client.close();
    await detector.release();
  }
}
