import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { NodeAPI, NodeDef } from 'node-red';
import type { ExecutionProvider } from '../lib/yolo/detector';
import { inputSizeSetting } from '../lib/yolo/input-size-setting';
import { sessionCount } from '../lib/yolo/session-plan';
import { SharedDetector } from '../lib/yolo/shared-detector';
import { numberSetting } from '../shared/config';
import { defaultModelPath, fetchModelCommand, fullExportPath } from '../shared/package-root';
import type { YoloModelNode } from './yolo-model-types';

/** The editor's `defaults`; every key here is a field of yolo-model.html. */
interface YoloModelDef extends NodeDef {
  modelPath: string;
  threads: string | number;
  /** Sessions inferring at once; 0 = as many as the cores hold at `threads` each. */
  sessions?: string | number;
  executionProvider: ExecutionProvider;
  /** Long side of the model input for a model that takes any size: auto, a side, or 0 (the model's own). */
  inputSize?: string | number;
}

export = function (RED: NodeAPI): void {
  function YoloModelConfigNode(this: YoloModelNode, config: YoloModelDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const threads = numberSetting(config.threads, 1);
    const sessions = numberSetting(config.sessions, 0);
    const inputSize = inputSizeSetting(config.inputSize);
    const executionProvider: ExecutionProvider = config.executionProvider === 'cuda' ? 'cuda' : 'cpu';
    const configured = (config.modelPath ?? '').trim();
    node.modelPath = configured
      ? path.resolve(RED.settings.userDir ?? process.cwd(), configured)
      : defaultModelPath();

    node.acquireDetector = () => {
      if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
        return new Error('yolo-model: threads must be a whole number from 1 to 64');
      }
      if (!Number.isInteger(sessions) || sessions < 0 || sessions > 16) {
        return new Error('yolo-model: parallel inferences must be a whole number from 0 (auto) to 16');
      }
      if (inputSize instanceof Error) return new Error(`yolo-model: ${inputSize.message}`);
      let modelPath = node.modelPath;
      if (!configured && !existsSync(modelPath) && existsSync(fullExportPath())) {
        // The export is there but not its head cut (a clone whose postinstall ran before its build).
        node.warn(
          `${modelPath} is missing: running the full export ${fullExportPath()} at its fixed 640x640 ` +
            `instead; \`${fetchModelCommand()}\` writes the head cut (restart Node-RED after it)`,
        );
        modelPath = fullExportPath();
      }
      if (!configured && !existsSync(modelPath)) {
        // The install fetches it (npm postinstall); that can fail offline or be skipped by npm.
        return new Error(
          `model file not found: ${node.modelPath}: fetch it with \`${fetchModelCommand()}\` and restart ` +
            'Node-RED (or choose a model file in the yolo-model node)',
        );
      }
      // The sessions live as long as a yolo-detect uses them; every node using the same model file
      // and settings shares them (one worker thread and one copy of the model per session).
      return SharedDetector.acquire(modelPath, {
        threads,
        executionProvider,
        sessions: sessionCount(sessions, threads, availableParallelism()),
        inputSize,
      });
    };
    node.releaseDetector = (detector) => detector.release();
  }

  RED.nodes.registerType('yolo-model', YoloModelConfigNode);
};
