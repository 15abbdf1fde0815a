import assert from 'node:assert/strict';
import path from 'node:path';
import { testTmp } from '../../support/assets';
import { helper, loadFlow, loggedErrors } from '../../support/node-red/test-helper';
import { waitFor } from '../../support/processes';
import { NODES, pipeline } from './flows/detect-track-flow';

/** yolo-model as the detection pipeline's config node (test/nodes/flows/detect-track-flow.ts). */
describe('yolo-model node', function () {
  this.timeout(90000);
  before(() => helper.startServer());
  after(() => helper.stopServer());
  afterEach(() => helper.unload());

  it('says when the model file is missing, without crashing', async () => {
    await loadFlow(NODES, pipeline({ modelPath: path.join(testTmp, 'missing.onnx'), autoStart: false }));
    await waitFor(() => loggedErrors().length > 0, 10000, 'an error');
    assert.match(loggedErrors()[0], /model file not found/);
  });

  it('refuses a number of parallel inferences out of range', async () => {
    await loadFlow(NODES, pipeline({ sessions: 99, autoStart: false }));
    await waitFor(() => loggedErrors().length > 0, 10000, 'an error');
    assert.match(loggedErrors()[0], /parallel inferences must be a whole number from 0 \(auto\) to 16/);
  });

  it('refuses an input size that is not auto, 0 or a multiple of 32', async () => {
    await loadFlow(NODES, pipeline({ inputSize: '500', autoStart: false }));
    await waitFor(() => loggedErrors().length > 0, 10000, 'an error');
    assert.match(
      loggedErrors()[0],
      /input size must be auto, 0 \(the model's own\) or a multiple of 32 up to 2048, not "500"/,
    );
  });
});
