/**
 * Layout of the shipped flows: how wide and tall Node-RED draws a node, the groups (one colour per
 * stage of the data) and fitting each group around its nodes.
 */

export type FlowNode = Record<string, unknown> & { id: string; type: string };

/** A group of the canvas and its nodes, in the order the flow lists them. */
export interface FlowGroup {
  group: FlowNode;
  nodes: FlowNode[];
}

/** The store flow's tab: every node of it (and of its add-ons, once imported) sits there. */
export const STORE_TAB = 'sa-tab';

/** Node-RED draws a node about this wide (its label at 14 px plus icon and ports); used to lay out groups. */
export function estimatedWidth(node: FlowNode): number {
  if ((node.type === 'link in' || node.type === 'link out') && node.l !== true) return 30;
  const label = String(node.name ?? '');
  return Math.max(100, 20 * Math.ceil((label.length * 7.5 + 50) / 20));
}

/** Node-RED draws a node with many outputs taller: 15 px per port, at least 30. */
export function estimatedHeight(node: FlowNode): number {
  return Math.max(30, 15 * (Array.isArray(node.wires) ? node.wires.length : 0));
}

const GROUP_PADDING = 20;
const STAGE_COLOURS = {
  cameras: { stroke: '#3f93cf', fill: '#bfdbef' },
  pipeline: { stroke: '#92d04f', fill: '#e3f3d3' },
  storage: { stroke: '#ff9f40', fill: '#ffefbf' },
  http: { stroke: '#a4a4a4', fill: '#e0e0e0' },
  dashboard: { stroke: '#b083f0', fill: '#e8dcfb' },
};

export type Stage = keyof typeof STAGE_COLOURS;

/** A group node around `members` (each member gets its `g`), coloured by its stage. */
export function group(id: string, name: string, stage: Stage, members: FlowNode[], z = STORE_TAB): FlowNode {
  for (const n of members) n.g = id;
  const { stroke, fill } = STAGE_COLOURS[stage];
  return {
    id,
    type: 'group',
    z,
    name,
    style: { label: true, stroke, fill, 'fill-opacity': '0.4', color: '#000000' },
    nodes: members.map((n) => n.id),
  };
}

/** The group and its nodes together, as the store flow's group builders hand them over. */
export function flowGroup(id: string, name: string, stage: Stage, nodes: FlowNode[]): FlowGroup {
  return { group: group(id, name, stage, nodes), nodes };
}

/** Puts every group around its nodes (with room for its title). */
export function fitGroups(flow: FlowNode[]): void {
  const byId = new Map(flow.map((n) => [n.id, n]));
  for (const g of flow.filter((n) => n.type === 'group')) {
    const members = (g.nodes as string[]).map((id) => byId.get(id)!);
    const left = Math.min(...members.map((n) => (n.x as number) - estimatedWidth(n) / 2));
    const right = Math.max(...members.map((n) => (n.x as number) + estimatedWidth(n) / 2));
    const top = Math.min(...members.map((n) => (n.y as number) - estimatedHeight(n) / 2));
    const bottom = Math.max(...members.map((n) => (n.y as number) + estimatedHeight(n) / 2));
    Object.assign(g, {
      x: Math.round(left - GROUP_PADDING),
      y: Math.round(top - GROUP_PADDING - 20),
      w: Math.round(right - left + 2 * GROUP_PADDING),
      h: Math.round(bottom - top + 2 * GROUP_PADDING + 20),
    });
  }
}
