import assert from 'node:assert/strict';
import { discoveryMessages } from '../../../nodes/lib/chain/discovery';

describe('chain: discovery', () => {
  it('announces each camera to Home Assistant as sensors on its state topic, unavailable with the store', () => {
    const [people, footfall] = discoveryMessages('homeassistant', 'Köln 1', 'door');
    assert.equal(people.topic, 'homeassistant/sensor/K_ln_1_door_people/config');
    const config = JSON.parse(people.payload) as Record<string, unknown>;
    assert.equal(config.state_topic, 'store-analytics/Köln 1/door/state');
    assert.equal(config.availability_topic, 'store-analytics/Köln 1/status');
    assert.equal(config.value_template, '{{ value_json.people }}');
    assert.match(footfall.topic, /_footfall_in\/config$/);
  });
});
