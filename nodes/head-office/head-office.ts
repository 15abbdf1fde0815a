import mqtt from 'mqtt';
import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { CHAIN_QUERY_EXPECTS, chainQueryOf } from '../lib/chain/chain-query';
import { HeadOfficeService } from '../lib/chain/head-office-service';
import {
  headOfficeSettings,
  type HeadOfficeCredentials,
  type HeadOfficeFields,
} from '../lib/chain/head-office-settings';
import { routeMessage } from '../lib/messages/message-kinds';
import { queryReply } from '../shared/query-reply';
import { reportConfigError, Status } from '../shared/status';

type HeadOfficeDef = NodeDef & HeadOfficeFields;

/** Head office of a chain: the glue between Node-RED and HeadOfficeService (nodes/lib/chain). */
export = function (RED: NodeAPI): void {
  function HeadOfficeNode(this: Node<HeadOfficeCredentials>, config: HeadOfficeDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const userDir = (RED.settings as { userDir?: string }).userDir ?? process.cwd();
    let office: HeadOfficeService;
    try {
      const settings = headOfficeSettings(config, node.credentials, userDir);
      if ('off' in settings) {
        node.status(Status.idle(settings.off));
        return;
      }
      office = new HeadOfficeService(settings, (url, options) => mqtt.connect(url, options), {
        error: (text, topic) => (topic ? node.error(text, { topic } as NodeMessage) : node.error(text)),
        log: (text) => node.log(text),
        status: (s) => node.status(Status[s.state](s.text)),
      });
    } catch (err) {
      reportConfigError(node, (err as Error).message);
      return;
    }

    /** Answers one of the chain's questions: HTTP on output 1, a flow's on output 2. */
    function answer(msg: NodeMessage, done: (err?: Error) => void): void {
      const q = chainQueryOf(msg);
      if (!q) {
        done(new Error(`expected ${CHAIN_QUERY_EXPECTS}`));
        return;
      }
      const { reply } = queryReply(node, msg, 2);
      office.answer(q).then((a) => {
        if (a.error) node.error(a.error, msg);
        reply(a.statusCode, a.payload, a.type, a.headers);
        done();
      }, done);
    }

    node.on('input', (msg, _send, done) => {
      const ask = (m: NodeMessage) => answer(m, done);
      routeMessage(msg, { query: ask, 'http-request': ask }, done, { expects: CHAIN_QUERY_EXPECTS });
    });

    node.on('close', (done: () => void) => {
      office.close(() => {
        node.status(Status.clear());
        done();
      });
    });
  }

  RED.nodes.registerType<Node<HeadOfficeCredentials>, HeadOfficeDef, unknown, HeadOfficeCredentials>(
    'head-office',
    HeadOfficeNode,
    {
      credentials: {
        username: { type: 'text' },
        password: { type: 'password' },
        dbPassword: { type: 'password' },
      },
    },
  );
};
