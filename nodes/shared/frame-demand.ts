import type { Node, NodeAPI } from 'node-red';

/** A node that can tell whether frames sent to it would reach anyone (mjpeg-out: a viewer). */
export interface FrameConsumer {
  wantsFrames(): boolean;
}

/** Marks `node` as a FrameConsumer for the nodes wired to it. */
export function declareFrameDemand(node: Node, wantsFrames: () => boolean): void {
  (node as Node & FrameConsumer).wantsFrames = wantsFrames;
}

/**
 * Whether frames sent on an output wired to `targets` (node ids) would be used: a target that can
 * tell (mjpeg-out) says so; any other node is assumed to want them. With nothing wired, nobody
 * does. Lets a node skip making frames (an overlay encode) that no one would see.
 */
export function framesWanted(RED: NodeAPI, targets: readonly string[]): boolean {
  return targets.some((id) => {
    const target = RED.nodes.getNode(id) as (Node & Partial<FrameConsumer>) | null;
    return !target || typeof target.wantsFrames !== 'function' || target.wantsFrames();
  });
}
