/**
 * Runs a shipped function node's body (flows/functions/<name>.js) in Node as Node-RED would: the body
 * of a function of msg, with node, flow, env and context; flow and context are kept in maps the test
 * can look at, env is a plain object.
 */
import { functionCode } from '../../../flows/builder/assets';

type Message = Record<string, unknown>;

export interface FunctionNode {
  /** Runs the body on `msg` and gives what it returns (a message, an array per output, or null). */
  run(msg: Message): unknown;
  flow: Map<string, unknown>;
  context: Map<string, unknown>;
  env: Record<string, string>;
  statuses: unknown[];
  errors: unknown[];
}

export function functionNode(
  name: string,
  setup: { flow?: Record<string, unknown>; env?: Record<string, string> } = {},
): FunctionNode {
  const body = new Function('msg', 'node', 'flow', 'env', 'context', functionCode(name));
  const store = (map: Map<string, unknown>) => ({
    get: (key: string) => map.get(key),
    set: (key: string, value: unknown) => void map.set(key, value),
    keys: () => [...map.keys()],
  });
  const fake: FunctionNode = {
    flow: new Map(Object.entries(setup.flow ?? {})),
    context: new Map(),
    env: { ...setup.env },
    statuses: [],
    errors: [],
    run: (msg) =>
      body(
        msg,
        {
          status: (s: unknown) => fake.statuses.push(s),
          error: (e: unknown) => fake.errors.push(e),
          warn: () => undefined,
          log: () => undefined,
        },
        store(fake.flow),
        { get: (key: string) => fake.env[key] },
        store(fake.context),
      ),
  };
  return fake;
}
