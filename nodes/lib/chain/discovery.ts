import { cameraTopic, storeTopic } from './topics';

/**
 * Home Assistant MQTT discovery: one retained config message per sensor, so each store's cameras
 * appear as sensors (people in view, footfall in today) that read the camera's retained state topic
 * and go unavailable with the store's last will.
 */
export function discoveryMessages(
  prefix: string,
  store: string,
  camera: string,
): Array<{ topic: string; payload: string }> {
  // Discovery's object ids allow [a-zA-Z0-9_-] only.
  const slug = (s: string) => s.replace(/[^a-zA-Z0-9_-]/g, '_');
  const device = {
    identifiers: [`store-analytics-${slug(store)}-${slug(camera)}`],
    name: `${store} ${camera}`,
    manufacturer: 'node-red-contrib-store-analytics',
  };
  const sensors = [
    { id: 'people', name: 'People in view', template: '{{ value_json.people }}', unit: 'people' },
    {
      id: 'footfall_in',
      name: 'Footfall in today',
      template: '{{ value_json.footfall_in }}',
      unit: 'people',
    },
  ];
  return sensors.map((s) => {
    const uniqueId = `${slug(store)}_${slug(camera)}_${s.id}`;
    return {
      topic: `${prefix}/sensor/${uniqueId}/config`,
      payload: JSON.stringify({
        name: s.name,
        unique_id: uniqueId,
        state_topic: cameraTopic(store, camera, 'state'),
        value_template: s.template,
        unit_of_measurement: s.unit,
        state_class: s.id === 'people' ? 'measurement' : 'total_increasing',
        availability_topic: storeTopic(store, 'status'),
        payload_available: 'online',
        payload_not_available: 'offline',
        device,
      }),
    };
  });
}
