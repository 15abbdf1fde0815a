import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { reasonOf, snapshotsOf } from '../lib/heatmap/heat-messages';
import { isBackgroundPicture } from '../lib/image/camera-backgrounds';
import { carriesHttpRequest, routeMessage, TOPICS } from '../lib/messages/message-kinds';
import { HeatStoreService, type SavedPayload } from '../lib/storage/heat-store-service';
import { type HeatStoreFields, parseHeatStoreSettings } from '../lib/storage/heat-store-settings';
import { claimFiles } from '../shared/file-claim';
import { reportConfigError, Status } from '../shared/status';
import type { SavedMessage } from './heatmap-store-types';

/** The editor's `defaults`; every key here is a field of heatmap-store.html. */
type HeatmapStoreDef = NodeDef & HeatStoreFields;

const INPUT = {
  expects:
    'msg.topic "heatmap/snapshot", "heatmap/background" or "heatmap/restore-request" (the heatmap ' +
    'node\'s third output) or the command "save"',
  commands: ['save'],
};

/**
 * The answer to a save asked over HTTP (only such a save is answered): on output 3, or on output 1
 * with the notices for a node saved before output 3 existed (`answerOwnOutput` missing).
 */
function answerOn(
  node: Node,
  ownOutput: boolean,
  asker: NodeMessage,
  answer: { payload: SavedPayload; statusCode?: number; directory?: string },
): void {
  if (!carriesHttpRequest(asker)) return;
  const out = { ...asker, ...answer } as SavedMessage;
  node.send(ownOutput ? [null, null, out] : [out, null, null]);
}

/**
 * Outputs: 1 notices (topic "heatmap/saved", after every save asked for and every autosave that wrote
 * something), 2 restores for the heatmap, 3 answers to saves asked over HTTP (for http response).
 */
export = function (RED: NodeAPI): void {
  function HeatmapStoreNode(this: Node, config: HeatmapStoreDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const userDir = (RED.settings as { userDir?: string }).userDir ?? process.cwd();
    const settings = parseHeatStoreSettings(config, userDir);
    if ('error' in settings) {
      reportConfigError(node, settings.error);
      return;
    }
    const { directory } = settings;
    // One store per folder: a second one (an imported copy of the flow) would write over this one's
    // saved days, and restore them into the wrong heatmap.
    const claim = claimFiles(node, 'heatmap-store', 'saved heatmaps folder', directory);
    if ('refused' in claim) {
      refuseSaves(node, claim.answer, settings.answerOwnOutput);
      return;
    }
    const service = new HeatStoreService(settings, {
      restore: (snapshots) => node.send([null, { topic: 'restore', payload: snapshots }, null]),
      saved: (payload) => {
        const notice: SavedMessage = { topic: TOPICS.heatSaved, directory, payload };
        node.send([notice, null, null]);
      },
      status: (kind, text) => node.status(Status[kind](text)),
      error: (text, cause) => node.error(text, cause as NodeMessage | undefined),
      warn: (text) => node.warn(text),
      log: (text) => node.log(text),
    });

    node.on('input', (msg, _send, done) => {
      /** A save's outcome answers the message that asked (over HTTP), then the message is done. */
      const answered = (saving: Promise<SavedPayload> | null) => {
        if (!saving) return done();
        saving.then((payload) => {
          answerOn(node, settings.answerOwnOutput, msg, {
            directory,
            payload,
            ...(payload.error ? { statusCode: 500 } : {}),
          });
          done();
        }, done);
      };
      routeMessage(
        msg,
        {
          'heat-snapshot': (m) => {
            const snapshots = snapshotsOf(m.payload);
            if (!snapshots) {
              done(
                new Error(
                  'a heatmap/snapshot message carries heat snapshots from the heatmap node in msg.payload',
                ),
              );
              return;
            }
            // A save names its cameras (the heatmap sent only theirs); the rest waits for the autosave.
            answered(service.offer(snapshots, reasonOf(m as { reason?: unknown }), m));
          },
          'heat-background': (m) => {
            if (!isBackgroundPicture(m.payload)) {
              done(new Error('a heatmap/background message carries a camera picture from the heatmap node'));
              return;
            }
            service.background(m.payload.cameraId, m.payload);
            done();
          },
          'heat-restore-request': () => service.restoreRequest().then(() => done(), done),
          command: (m) => answered(service.save(m)),
        },
        done,
        INPUT,
      );
    });

    node.on('close', (done: () => void) => {
      service.close().finally(() => {
        claim.release();
        node.status(Status.clear());
        done();
      });
    });
  }

  RED.nodes.registerType('heatmap-store', HeatmapStoreNode);
};

/**
 * A store refused its folder (another store holds it): a save asked over HTTP is answered 503 with
 * the reason rather than never; snapshots are dropped (the status and the log say why).
 */
function refuseSaves(node: Node, reason: string, ownOutput: boolean): void {
  node.on('input', (msg, _send, done) => {
    answerOn(node, ownOutput, msg, {
      payload: { savedAt: Date.now(), saved: [], error: reason },
      statusCode: 503,
    });
    done();
  });
}
