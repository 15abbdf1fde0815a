import type { NodeAPI } from 'node-red';
import { answerBodyErrors } from '../lib/http/body-errors';

/** The event emitters already listened to (one listener per Node-RED, however many node types call). */
const listening = new WeakSet<object>();
/** The node HTTP app of the latest Node-RED API this package was given. */
let httpNode: unknown = null;

/**
 * Makes every `http in` node of this Node-RED answer a body it refuses with 413 (too large, too many
 * form fields), 400 (not readable) or 415 with the reason, instead of 500 (see answerBodyErrors):
 * the routes there are now (this package installed into a running Node-RED) and those every deploy
 * makes. Needs no setting; called by this package's node modules when Node-RED loads them.
 */
export function answerHttpInBodyErrors(RED: NodeAPI): void {
  httpNode = RED.httpNode;
  answerBodyErrors(httpNode);
  const events = RED.events as unknown as object;
  if (listening.has(events)) return;
  listening.add(events);
  RED.events.on('flows:started', () => answerBodyErrors(httpNode));
}
