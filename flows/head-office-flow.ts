/**
 * Example 05, head office: every store's messages from the broker into PostgreSQL (the head-office
 * node), GET /chain and /chain.csv, and the dashboard's Chain tab. It runs in head office's own
 * Node-RED (no cameras there); `npm run flows` writes it with the others.
 */
import { pageText } from './builder/assets';
import { fitGroups, group, type FlowNode } from './builder/layout';
import { dashboardSite } from './builder/dashboard-widgets';
import { nodeOn } from './builder/nodes';

const TAB = 'ho-tab';

const at = nodeOn(TAB);

export function headOfficeFlow(): FlowNode[] {
  const nodes = [
    {
      id: TAB,
      type: 'tab',
      label: 'Head office',
      disabled: false,
      info:
        'Head office of a chain of stores: every store box publishes to one MQTT broker (its "report to head ' +
        'office" node, MQTT_URL and STORE_ID); this flow writes all of it into PostgreSQL and shows the Chain ' +
        'tab. Set MQTT_URL (the same broker), PG_URL=postgres://user@host:5432/database (the password in the ' +
        'node, or PGPASSWORD), and the broker user and password in the node (or MQTT_USERNAME, ' +
        "MQTT_PASSWORD). Import it into head office's own Node-RED, not into a store box's.",
    },
    at(
      'head-office',
      'ho-db',
      'every store into PostgreSQL',
      420,
      100,
      {
        url: '${MQTT_URL}',
        caFile: '${MQTT_CA}',
        database: '${PG_URL}',
        file: '',
        clientId: 'store-analytics-head-office',
      },
      [['ho-http-out'], ['ho-ui-chain']],
    ),
    at(
      'http in',
      'ho-chain-get',
      'GET /chain',
      150,
      80,
      { url: '/chain', method: 'get', upload: false, swaggerDoc: '' },
      [['ho-db']],
    ),
    at(
      'http in',
      'ho-chain-csv',
      'GET /chain.csv',
      150,
      130,
      { url: '/chain.csv', method: 'get', upload: false, swaggerDoc: '' },
      [['ho-db']],
    ),
    at('http response', 'ho-http-out', 'chain answer', 700, 100, { statusCode: '', headers: {} }, []),
    at(
      'inject',
      'ho-report-tick',
      'every 30 s',
      150,
      320,
      {
        props: [{ p: 'topic', vt: 'str' }],
        repeat: '30',
        crontab: '',
        once: true,
        onceDelay: '2',
        topic: 'chain/report',
      },
      [['ho-db']],
    ),
    at(
      'ui_template',
      'ho-ui-chain',
      'chain today',
      700,
      320,
      {
        group: 'ho-ui-g-chain',
        order: 1,
        width: 12,
        height: 0,
        // The Chain tab's table: drawn from the head-office node's chain/report answer (msg.payload).
        format: pageText('chain').trim() + '\n',
        storeOutMessages: true,
        fwdInMessages: false,
        resendOnRefresh: true,
        templateScope: 'local',
        className: '',
      },
      [[]],
    ),
    at('comment', 'ho-note', 'Tables: sa_minutes, sa_events, sa_heat_hours, sa_state, sa_stores', 420, 180, {
      info:
        'Made on first connect. sa_minutes: one row per store, camera and minute (upserted from the highest seq: ' +
        'a store sends a minute whole each time it grows), with footfall_in/out summed over its lines and ' +
        'lines/zones as JSON. sa_events: crossings and zone visits by (store, seq). sa_heat_hours: each ' +
        "hour's heat grid. sa_state: each camera's latest state. sa_stores: online/offline, last seen and " +
        'duplicates received. Messages wait in data/head-office.db while PostgreSQL is down.\n\n' +
        "GET /chain: the Chain tab's numbers as JSON; GET /chain.csv?date=YYYY-MM-DD&step=hour|day.",
    }),
  ];
  const [tab, ...onCanvas] = nodes;
  const byId = new Map(onCanvas.map((n) => [n.id, n]));
  const pick = (...ids: string[]) => ids.map((id) => byId.get(id)!);
  const groups = [
    group(
      'ho-g-central',
      'Every store into PostgreSQL, GET /chain and /chain.csv',
      'storage',
      pick('ho-db', 'ho-chain-get', 'ho-chain-csv', 'ho-http-out', 'ho-note'),
      TAB,
    ),
    group(
      'ho-g-dashboard',
      'Dashboard: the Chain tab',
      'dashboard',
      pick('ho-report-tick', 'ho-ui-chain'),
      TAB,
    ),
  ];
  const flow = [tab, ...groups, ...onCanvas, ...uiConfig()];
  fitGroups(flow);
  return flow;
}

function uiConfig(): FlowNode[] {
  return [
    {
      id: 'ho-ui-base',
      type: 'ui_base',
      theme: { name: 'theme-light' },
      site: dashboardSite('Store analytics: head office'),
    },
    {
      id: 'ho-ui-tab',
      type: 'ui_tab',
      name: 'Chain',
      icon: 'fa-building',
      order: 1,
      disabled: false,
      hidden: false,
    },
    {
      id: 'ho-ui-g-chain',
      type: 'ui_group',
      name: 'Stores today',
      tab: 'ho-ui-tab',
      order: 1,
      disp: true,
      width: 12,
      collapse: false,
      className: '',
    },
  ];
}
