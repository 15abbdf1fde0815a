import type { Node } from 'node-red';
import { Claimant, fileClaims } from '../lib/storage/file-claims';
import { Status } from './status';

/** How a node is named in another node's error: its type, name and id (the editor's search finds it). */
export function claimantOf(node: Node & { name?: string }): Claimant {
  const name = typeof node.name === 'string' && node.name.trim() ? ` "${node.name.trim()}"` : '';
  return { id: node.id, label: `${node.type}${name} (node ${node.id})` };
}

/**
 * Claims `target` (a file or folder this node writes) for the node, or refuses: red status and
 * node.error naming the node that holds it. Returns the release (call it when the node closes), or
 * the refusal: in full for the log, and without the path for an HTTP answer (the store login does
 * not learn where files are on the disk).
 */
export function claimFiles(
  node: Node & { name?: string },
  kind: string,
  what: string,
  target: string,
): { release: () => void } | { refused: string; answer: string } {
  const result = fileClaims.claim(kind, target, claimantOf(node));
  if (result.ok) return { release: result.release };
  const why =
    'two nodes on the same files would write over each other. Give this node a file of its own, or ' +
    'delete one of the two, and deploy';
  const refused = `${what} ${result.target} is already used by ${result.holder.label}: ${why}`;
  node.status(Status.error(`refused: ${what} used by ${result.holder.label}`));
  node.error(refused);
  return { refused, answer: `this node's ${what} is already used by ${result.holder.label}: ${why}` };
}
