/**
 * Worker-thread entry: owns one YoloDetector (one ONNX Runtime session). session.run() blocks the
 * thread it runs on for the whole inference (~80 ms on a 2-core CPU), so it must not be Node-RED's.
 */
import { parentPort, workerData } from 'node:worker_threads';
import sharp from '../image/sharp';
import { osThreadId } from '../os/thread-id';
import { DetectorError, DetectorOptions, DetectRequest, InferenceRuns, YoloDetector } from './detector';

export interface WorkerInit {
  modelPath: string;
  options: DetectorOptions;
}

// 'time'/'timed' are a diagnostic (the benchmark's pure inference): only this thread can run the session.
export type ToWorker =
  | { type: 'detect'; id: number; jpeg: ArrayBuffer; request: DetectRequest }
  | { type: 'time'; id: number; runs: number; sizes?: ReadonlyArray<{ width: number; height: number }> }
  | { type: 'close' };

export type FromWorker =
  // threadId: only code on this thread can read its OS id; one readlink at load, for top -H and the benchmark.
  | { type: 'ready'; info: YoloDetector['info']; threadId: number | null }
  | { type: 'load-error'; code: string; message: string }
  | { type: 'result'; id: number; result: Awaited<ReturnType<YoloDetector['detect']>> }
  | ({ type: 'timed'; id: number } & InferenceRuns)
  | { type: 'error'; id: number; code: string; message: string };

// The cores belong to inference: libvips' own thread pool would only contend with it.
sharp.concurrency(1);

const port = parentPort!;
const init = workerData as WorkerInit;
const post = (message: FromWorker) => port.postMessage(message);
const codeOf = (err: unknown) => (err instanceof DetectorError ? err.code : 'internal');

YoloDetector.load(init.modelPath, init.options).then(
  (detector) => {
    // Inference runs on this very thread: its OS id tells tools (top -H, the benchmark) which it is.
    post({ type: 'ready', info: detector.info, threadId: osThreadId() });
    port.on('message', (message: ToWorker) => {
      if (message.type === 'close') {
        void detector.release().finally(() => port.close());
        return;
      }
      if (message.type === 'time') {
        detector.timeInference(message.runs, message.sizes).then(
          (timed) => post({ type: 'timed', id: message.id, ...timed }),
          (err: Error) => post({ type: 'error', id: message.id, code: codeOf(err), message: err.message }),
        );
        return;
      }
      detector.detect(Buffer.from(message.jpeg), message.request).then(
        (result) => post({ type: 'result', id: message.id, result }),
        (err: Error) => post({ type: 'error', id: message.id, code: codeOf(err), message: err.message }),
      );
    });
  },
  (err: Error) => {
    post({ type: 'load-error', code: codeOf(err), message: err.message });
    port.close();
  },
);
