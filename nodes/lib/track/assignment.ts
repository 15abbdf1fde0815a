/**
 * Minimum-cost assignment of rows to columns (Hungarian algorithm with potentials, O(n^2 m)).
 * Pairs whose cost exceeds `maxCost` are never matched: they are left unassigned instead.
 * Returns the matched [row, col] pairs and the unmatched rows and columns.
 */
export interface Assignment {
  matches: Array<[row: number, col: number]>;
  unmatchedRows: number[];
  unmatchedCols: number[];
}

export function assign(cost: readonly (readonly number[])[], maxCost: number): Assignment {
  const rows = cost.length;
  const cols = rows > 0 ? cost[0].length : 0;
  if (rows === 0 || cols === 0) {
    return { matches: [], unmatchedRows: range(rows), unmatchedCols: range(cols) };
  }
  // Infeasible pairs get a cost above any feasible total, so they are used only when unavoidable
  // and then dropped.
  const big = maxCost * (rows + cols + 1) + 1;
  const transposed = rows > cols;
  const n = transposed ? cols : rows;
  const m = transposed ? rows : cols;
  const at = (i: number, j: number) => {
    const c = transposed ? cost[j][i] : cost[i][j];
    return c > maxCost || !Number.isFinite(c) ? big : c;
  };
  // 1-based arrays as in the classic formulation; p[j] = row assigned to column j.
  const u = new Array<number>(n + 1).fill(0);
  const v = new Array<number>(m + 1).fill(0);
  const p = new Array<number>(m + 1).fill(0);
  const way = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Array<number>(m + 1).fill(Infinity);
    const used = new Array<boolean>(m + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = at(i0 - 1, j - 1) - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0);
  }
  const matches: Array<[number, number]> = [];
  for (let j = 1; j <= m; j++) {
    if (p[j] === 0) continue;
    const [r, c] = transposed ? [j - 1, p[j] - 1] : [p[j] - 1, j - 1];
    if (cost[r][c] <= maxCost) matches.push([r, c]);
  }
  const matchedRows = new Set(matches.map(([r]) => r));
  const matchedCols = new Set(matches.map(([, c]) => c));
  matches.sort((a, b) => a[0] - b[0]);
  return {
    matches,
    unmatchedRows: range(rows).filter((r) => !matchedRows.has(r)),
    unmatchedCols: range(cols).filter((c) => !matchedCols.has(c)),
  };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
