// npm run flows: writes the shipped flows (the default flow and the examples) from their one source,
// flows/store-analytics-flow.ts (its groups in flows/groups/, function bodies in flows/functions/, pages in
// flows/pages/). Run it after changing any of them; a test holds the files equal to it.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { shippedFlows } from '../flows/store-analytics-flow';
import { packageRoot } from '../nodes/shared/package-root';

for (const [file, flow] of Object.entries(shippedFlows())) {
  mkdirSync(path.dirname(path.join(packageRoot(), file)), { recursive: true });
  writeFileSync(path.join(packageRoot(), file), `${JSON.stringify(flow, null, 2)}\n`);
  console.log(`wrote ${file} (${flow.length} nodes)`);
}
