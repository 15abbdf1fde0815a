import type { NodeMessage } from 'node-red';

/**
 * Reads a control command from a message: `msg.topic` first (the Node-RED convention for
 * commands), else a string `msg.payload`. Returns the lower-cased command or null.
 */
export function controlCommand<T extends string>(msg: NodeMessage, commands: readonly T[]): T | null {
  for (const candidate of [msg.topic, msg.payload]) {
    if (typeof candidate !== 'string') continue;
    const command = candidate.trim().toLowerCase();
    if ((commands as readonly string[]).includes(command)) return command as T;
  }
  return null;
}
