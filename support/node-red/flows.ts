import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FlowNode, withAddOns } from '../../flows/store-analytics-flow';
import { projectRoot } from '../assets';

/** A shipped flow file as users get it (flows/store-analytics.json, examples/*.json). */
export function shippedFlow(file: string): FlowNode[] {
  return JSON.parse(readFileSync(path.join(projectRoot, file), 'utf8')) as FlowNode[];
}

/**
 * The default flow with examples (add-ons such as `examples/03 counting and zones.json`) imported
 * into it as the editor's Import does, written to `<userDir>/flows.json` for a runtime to start with.
 */
export function writeDefaultFlowWith(userDir: string, ...examples: string[]): FlowNode[] {
  const flow = withAddOns(shippedFlow('flows/store-analytics.json'), ...examples.map(shippedFlow));
  writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flow, null, 2));
  return flow;
}
