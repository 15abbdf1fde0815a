import path from 'node:path';
import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import type { FrameFields } from '../lib/history/frame-observation';
import {
  HISTORY_PATHS,
  historyFormatOfPath,
  historyFormatOfQuery,
  queryOf,
  type HistoryFormat,
} from '../lib/history/history-format';
import { HistoryService } from '../lib/history/history-service';
import { requestPathOf, routeMessage, TOPICS, type HttpRequestMessage } from '../lib/messages/message-kinds';
import { cameraIdOf } from '../shared/camera-id';
import { claimFiles } from '../shared/file-claim';
import { numberSetting } from '../shared/config';
import { queryReply } from '../shared/query-reply';
import { reportConfigError, Status } from '../shared/status';

/** The editor's `defaults`; every key here is a field of analytics-history.html. */
interface HistoryDef extends NodeDef {
  file: string;
  retentionDays: string | number;
  maxFrameInterval: string | number;
}

const EXPECTS =
  'a frame with msg.tracks (from the heatmap, line-counter or zone-monitor), heat snapshots (msg.topic "heatmap/snapshot"), an HTTP request (msg.req) or a query (msg.topic "history" or "history/report")';

export = function (RED: NodeAPI): void {
  function AnalyticsHistoryNode(this: Node, config: HistoryDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const userDir = (RED.settings as { userDir?: string }).userDir ?? process.cwd();
    const file = path.resolve(userDir, config.file?.trim() || path.join('data', 'history.db'));
    const retentionDays = numberSetting(config.retentionDays, 400);
    const maxFrameIntervalSeconds = numberSetting(config.maxFrameInterval, 2);
    if (!(retentionDays >= 1) || !(maxFrameIntervalSeconds > 0)) {
      reportConfigError(node, 'check the settings: keep at least 1 day; the frame gap must be above 0 s');
      return;
    }
    // One history node per database: a second one (an imported copy of the flow) would write over
    // this one's minutes and read its open run as a crash.
    const claim = claimFiles(node, 'analytics-history', 'history database', file);
    if ('refused' in claim) {
      refuseQueries(node, claim.answer);
      return;
    }

    const history = new HistoryService(
      { file, retentionDays, maxFrameIntervalSeconds },
      {
        error: (text) => node.error(text, {}),
        warn: (text) => node.warn(text),
        log: (text) => node.log(text),
        // Output 3: the minute rows each write stored, for a flow that wants them as they come.
        written: (minutes) => node.send([null, null, { topic: TOPICS.historyMinutes, payload: minutes }]),
        status: (s) => node.status(Status[s.state](s.text)),
      },
    );
    history.start();

    /** HTTP answers go to output 1 (for http response), a flow's to output 2. */
    function answer(
      msg: NodeMessage,
      query: Record<string, unknown>,
      format: HistoryFormat,
      done: (err?: Error) => void,
    ): void {
      const { fromHttp, reply } = queryReply(node, msg, 3);
      if (!fromHttp) (msg as NodeMessage & { historyDir?: string }).historyDir = history.directory;
      history.answer(query, format, fromHttp).then((a) => {
        if (a.error) node.error(a.error, msg);
        reply(a.statusCode, a.payload, a.type, a.headers);
        done();
      }, done);
    }

    node.on('input', (msg, _send, done) => {
      routeMessage(
        msg,
        {
          'heat-snapshot': (m) => {
            history.heatSnapshots(m.payload);
            done();
          },
          'heat-background': (m) =>
            done(
              history.background(m.payload)
                ? undefined
                : new Error('a heatmap/background message carries a camera picture from the heatmap node'),
            ),
          // The heat store's notices may share the heatmap's link: not history's, and no mistake.
          'heat-saved': () => done(),
          tracks: (m) => {
            history.frame(cameraIdOf(m), m as unknown as FrameFields);
            done();
          },
          query: (m) => {
            if (m.topic !== TOPICS.historyQuery && m.topic !== TOPICS.historyReport) {
              done(new Error(`expected ${EXPECTS}`));
              return;
            }
            const query = queryOf(m.payload);
            answer(m, query, historyFormatOfQuery(m.topic, query), done);
          },
          'http-request': (m) => {
            const requestPath = requestPathOf(m);
            const format = historyFormatOfPath(requestPath);
            if (format) {
              answer(m, queryOf((m as NodeMessage & HttpRequestMessage).req.query), format, done);
              return;
            }
            // Answered, so the caller does not wait for ever, and reported: the flow wires a wrong path here.
            const e = new Error(
              `analytics-history answers paths ending in ${HISTORY_PATHS}, not ${requestPath}`,
            );
            queryReply(node, m, 3).reply(404, `${e.message}\n`, 'text/plain; charset=utf-8');
            done(e);
          },
        },
        done,
        { expects: EXPECTS },
      );
    });

    node.on('close', (done: () => void) => {
      history.close();
      claim.release();
      node.status(Status.clear());
      done();
    });
  }

  RED.nodes.registerType('analytics-history', AnalyticsHistoryNode);
};

/**
 * A history node refused its database (another node holds it): requests on history's paths get 503
 * with the reason rather than no answer; frames and queries are dropped (the status and the log say why).
 */
function refuseQueries(node: Node, reason: string): void {
  node.on('input', (msg, _send, done) => {
    if (historyFormatOfPath(requestPathOf(msg))) {
      queryReply(node, msg, 3).reply(503, `${reason}\n`, 'text/plain; charset=utf-8');
    }
    done();
  });
}
