import type { QueryAnswer } from '../http/query-answer';
import { carriesHttpRequest, requestPathOf, TOPICS, type Message } from '../messages/message-kinds';
import { redact } from '../text/redact';
import { withCentralConnection, type CentralPool } from './central-pool';
import { chainCsv, chainReport } from './chain-report';

/** What head office is asked: the chain's report (JSON) or a day's CSV, with the question's fields. */
export interface ChainQuery {
  format: 'json' | 'csv';
  query: Record<string, unknown>;
  /** From `http in` (answered on output 1), else from a flow (output 2). */
  fromHttp: boolean;
}

/** What head office takes, in its error for anything else (after "expected "). */
export const CHAIN_QUERY_EXPECTS =
  'msg.topic "chain/report" or "chain/csv", or an HTTP request on a path ending in /chain or /chain.csv';

/**
 * What a message asks head office, or null when it asks nothing head office answers. A flow names
 * the question in msg.topic (its fields in msg.payload); `http in` by the path (its fields in the
 * query string): /chain for the report, /chain.csv for the CSV.
 */
export function chainQueryOf(msg: Message): ChainQuery | null {
  const fromHttp = carriesHttpRequest(msg);
  const requestPath = requestPathOf(msg);
  let format: ChainQuery['format'] | null = null;
  if (msg.topic === TOPICS.chainReport || requestPath.endsWith('/chain')) format = 'json';
  else if (msg.topic === TOPICS.chainCsv || requestPath.endsWith('/chain.csv')) format = 'csv';
  if (!format) return null;
  const fields = requestPath && fromHttp ? msg.req.query : msg.payload;
  const query = (typeof fields === 'object' && fields !== null ? fields : {}) as Record<string, unknown>;
  return { format, query, fromHttp };
}

/** An answer as the node sends it; `error` is also reported on the node (a flow's, or a failure of ours). */
export type ChainAnswer = QueryAnswer;

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';

/** An error in the question's format: JSON for the report, a line of text for the CSV. */
function errorAnswer(q: ChainQuery, statusCode: number, message: string, error?: string): ChainAnswer {
  return q.format === 'json'
    ? { statusCode, payload: { error: message }, type: JSON_TYPE, error }
    : { statusCode, payload: `${message}\n`, type: TEXT_TYPE, error };
}

/**
 * Answers a question from the central database. Unreachable: 503. A bad question (a wrong date or
 * step): 400, reported on the node only when a flow asked. Any other failure: 500, reported.
 */
export async function answerChainQuery(
  pool: CentralPool,
  q: ChainQuery,
  secrets: readonly string[] = [],
): Promise<ChainAnswer> {
  let connected = false;
  try {
    return await withCentralConnection(pool, async (db): Promise<ChainAnswer> => {
      connected = true;
      if (q.format === 'json') return { statusCode: 200, payload: await chainReport(db), type: JSON_TYPE };
      const r = await chainCsv(db, q.query);
      return {
        statusCode: 200,
        payload: r.csv,
        type: 'text/csv; charset=utf-8',
        headers: { 'content-disposition': `attachment; filename="chain-${r.date}-${r.step}.csv"` },
      };
    });
  } catch (err) {
    if (!connected) {
      const text = `PostgreSQL unreachable: ${redact((err as Error).message, secrets)}`;
      return errorAnswer(q, 503, text, q.fromHttp ? undefined : text);
    }
    const e = err as Error & { statusCode?: number };
    const code = e.statusCode ?? 500;
    return errorAnswer(
      q,
      code,
      e.message,
      code >= 500 || !q.fromHttp ? `chain query failed: ${e.message}` : undefined,
    );
  }
}
