import path from 'node:path';

/** The node that holds a file: named in the error the other node gives. */
export interface Claimant {
  /** Node id: a redeploy's new instance of the same node takes its claim over. */
  id: string;
  /** How people know it: `analytics-history "history per minute" (node sa-history)`. */
  label: string;
}

export type ClaimResult = { ok: true; release: () => void } | { ok: false; holder: Claimant; target: string };

/**
 * Which node writes which file or folder in this runtime. Two history nodes on one database, or two
 * heat stores on one folder, would write over each other (and each would take the other's writes for
 * a run that stopped without closing): the second one is refused and says which node holds it.
 *
 * A claim is keyed by its kind (what is written there) and the absolute path. The same node id may
 * claim again (a redeploy starts the node's new instance while the old one may not have let go yet);
 * a release only frees the claim it was given, so the old instance's late release leaves the new
 * one's claim in place.
 */
export class ClaimRegistry {
  private readonly held = new Map<string, { holder: Claimant; token: object }>();

  claim(kind: string, target: string, who: Claimant): ClaimResult {
    const where = normalisePath(target);
    const key = `${kind}\0${where}`;
    const current = this.held.get(key);
    if (current && current.holder.id !== who.id) return { ok: false, holder: current.holder, target: where };
    const token = {};
    this.held.set(key, { holder: who, token });
    return {
      ok: true,
      release: () => {
        if (this.held.get(key)?.token === token) this.held.delete(key);
      },
    };
  }

  /** Who holds `target` for `kind`, if anyone. */
  holder(kind: string, target: string): Claimant | null {
    return this.held.get(`${kind}\0${normalisePath(target)}`)?.holder ?? null;
  }

  /** How many claims are held (a test sees every node let go at close). */
  get size(): number {
    return this.held.size;
  }
}

/** The absolute path, without `.`/`..` segments, doubled or trailing separators. */
export function normalisePath(target: string): string {
  return path.resolve(target);
}

/** The one registry of this Node-RED process, shared by every node that writes files. */
export const fileClaims = new ClaimRegistry();
