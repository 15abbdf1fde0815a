import { cameraFaults } from './camera-faults';
import { cameraSetFaults } from './camera-set-faults';
import { crashFaults } from './crash-faults';
import { historyFaults } from './history-faults';
import type { Fault } from './fault';
import { runtimeFaults } from './runtime-faults';
import { socketFaults } from './socket-faults';
import { storageFaults } from './storage-faults';

/** Every fault of the suite, in the order `npm run faults` runs them. */
export const allFaults: Fault[] = [
  ...cameraFaults,
  ...cameraSetFaults,
  ...runtimeFaults,
  ...crashFaults,
  ...socketFaults,
  ...storageFaults,
  ...historyFaults,
];
