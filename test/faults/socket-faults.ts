import { readFileSync } from 'node:fs';
import path from 'node:path';
import { demoClip, projectRoot } from '../../support/assets';
import {
  DashboardSocket,
  malformedDashboardPackets,
  sendEachPacket,
} from '../../support/node-red/dashboard-socket';
import { sleep, waitFor } from '../../support/processes';
import type { StatisticsAnswer } from '../../support/node-red/statistics-answer';
import type { Fault } from './fault';
import { openStoreBox } from './store-box';

const LOGIN = { user: 'store', password: 'fault-secret' };
const authorization = 'Basic ' + Buffer.from(`${LOGIN.user}:${LOGIN.password}`).toString('base64');

/** Every dashboard widget of the default flow: what a malformed update-value can be addressed to. */
function dashboardWidgets(): string[] {
  const flow = JSON.parse(
    readFileSync(path.join(projectRoot, 'flows', 'store-analytics.json'), 'utf8'),
  ) as Array<{ id: string; type: string }>;
  const configs = ['ui_base', 'ui_tab', 'ui_group'];
  return flow.filter((n) => n.type.startsWith('ui_') && !configs.includes(n.type)).map((n) => n.id);
}

/** A stranger on the shop's network, then a browser gone wrong, at the dashboard's live socket. */
const dashboardSocketFault: Fault = {
  id: 'dashboard-socket',
  fault:
    "the dashboard's live socket (/ui/socket.io) joined without the store login, then fed malformed packets and odd values for every widget with it",
  expected:
    'without the login: a refusal and not one figure; with it: every bad message dropped and reported, the runtime never stops (no restart by the supervisor), the camera streams on',
  quick: true,
  timeoutMs: () => 150000,
  async run(ctx) {
    const box = await openStoreBox(ctx, {
      cameraUrl: demoClip(),
      env: { STORE_PASSWORD: LOGIN.password, STATE_CHANGES_POST_ONLY: 'true' },
    });
    const statistics = async (): Promise<StatisticsAnswer | null> => {
      const answer = await fetch(`${box.url}/statistics?format=json`, {
        headers: { Authorization: authorization },
      });
      return answer.status === 200 ? ((await answer.json()) as StatisticsAnswer) : null;
    };
    const before = await waitFor(
      async () => {
        const s = await statistics().catch(() => null);
        return s && s.uniquePeople > 0 ? s : null;
      },
      60000,
      'people counted',
    );

    const anonymous = await DashboardSocket.open(box.url);
    const answer = await anonymous.connect();
    await anonymous.send(
      DashboardSocket.event('update-value', { id: 'sa-ui-confirm', value: { msg: { payload: 'Reset' } } }),
    );
    await sleep(1000);
    const leaked = answer.filter((p) => !p.startsWith('44'));
    ctx.check(
      answer.length === 1 && /store login is required/.test(answer[0]) && leaked.length === 0,
      `without the login the socket answered only ${JSON.stringify(answer[0]).slice(0, 80)}`,
    );
    const afterAnonymous = await statistics();
    ctx.check(
      afterAnonymous !== null && afterAnonymous.uniquePeople >= before.uniquePeople,
      `a reset sent without the login changed nothing (visitors ${before.uniquePeople} -> ${afterAnonymous?.uniquePeople})`,
    );

    const runtime = box.runtimePid();
    const mark = box.logMark();
    const packets = malformedDashboardPackets(dashboardWidgets());
    // A runtime that dies mid-way fails the sending; the supervisor's report below says why.
    const sent = await sendEachPacket(box.url, { authorization }, packets).then(
      () => 'all sent',
      (err: Error) => `sending stopped: ${err.message}`,
    );
    await sleep(3000);
    const crash = box.crashSince(mark);
    ctx.check(
      crash === null && box.runtimePid() === runtime,
      crash
        ? `the runtime crashed (${sent}): ${crash}`
        : `${packets.length} malformed packets (${sent}): the runtime never stopped`,
    );
    const reports = box
      .logSince(mark)
      .split('\n')
      .filter((l) => l.includes('[dashboard]'));
    ctx.check(reports.length > 0, `reported in the log: "${(reports[0] ?? 'nothing').trim().slice(0, 140)}"`);
    const later = await waitFor(
      async () => {
        const s = await statistics().catch(() => null);
        return s && s.updatedAt > Date.now() - 3000 && /^streaming/.test(s.cameraStatus) ? s : null;
      },
      15000,
      'live numbers after the packets',
    ).catch(() => null);
    ctx.check(later !== null, `the camera streams on: ${later?.cameraStatus ?? 'no live numbers'}`);
  },
};

export const socketFaults: Fault[] = [dashboardSocketFault];
