/**
 * Reporting to head office (off until MQTT_URL is set): frames and counting events into store-uplink.
 *
 *   frames, events ─> report to head office
 */
import { FlowGroup, flowGroup } from '../builder/layout';
import { comment, linkIn, node } from '../builder/nodes';

export function uplinkGroup(ux: number): FlowGroup {
  return flowGroup(
    'sa-g-uplink',
    'Head office: this store over MQTT (off until MQTT_URL is set)',
    'storage',
    [
      linkIn(
        'sa-uplink-in',
        'frames, events',
        ux,
        100,
        ['sa-statistics-out', 'sa-events-out'],
        [['sa-uplink']],
      ),
      node(
        'store-uplink',
        'sa-uplink',
        'report to head office',
        ux + 200,
        100,
        {
          store: '${STORE_ID}',
          url: '${MQTT_URL}',
          caFile: '${MQTT_CA}',
          file: '',
          keepDays: 7,
          discovery: false,
          discoveryPrefix: 'homeassistant',
        },
        [],
      ),
      comment(
        'sa-uplink-note',
        'Head office: set MQTT_URL and STORE_ID',
        ux + 200,
        160,
        'Off until a broker is set: MQTT_URL=mqtt://broker:1883 (mqtts:// for TLS, MQTT_CA for a private CA), ' +
          'STORE_ID=<this store>, and the broker user and password in the node (or MQTT_USERNAME, ' +
          "MQTT_PASSWORD). Then every minute row, each hour's heat and each crossing and zone event go to " +
          'store-analytics/<store>/<camera>/... at QoS 1 through an outbox in data/history.db, kept while the ' +
          'broker is away (7 days at most) and sent in order after; state topics and online/offline are ' +
          'retained. Head office: example "05 head office".',
      ),
    ],
  );
}
