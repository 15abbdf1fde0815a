/**
 * Node factories of the store flow: every node on its tab (STORE_TAB), with the properties the editor
 * gives a new node of that type, so that the flow imports as if drawn by hand.
 */
import { FlowNode, STORE_TAB } from './layout';

/** A node factory for the tab `tab`: a node of `type` at (x, y), its centre; `wires` one list of targets per output. */
export function nodeOn(tab: string) {
  return (
    type: string,
    id: string,
    name: string,
    x: number,
    y: number,
    props: object,
    wires?: string[][],
  ): FlowNode => ({ id, type, z: tab, name, ...props, x, y, ...(wires ? { wires } : {}) });
}

/** A node of `type` on the store's tab. */
export const node = nodeOn(STORE_TAB);

/** A link out to the link in nodes `links`. */
export function linkOut(id: string, name: string, x: number, y: number, links: string[]): FlowNode {
  // l: the label is shown, so a reader sees where a control path goes.
  return node('link out', id, name, x, y, { mode: 'link', links, l: true }, []);
}

/** A link in, reached from the link out nodes `links`, wired on to `wires`. */
export function linkIn(
  id: string,
  name: string,
  x: number,
  y: number,
  links: string[],
  wires: string[][],
): FlowNode {
  return node('link in', id, name, x, y, { links, l: true }, wires);
}

export function comment(id: string, name: string, x: number, y: number, info: string): FlowNode {
  return node('comment', id, name, x, y, { info });
}

/** A function node: `func` its body (see functionCode), `outputs` its number of outputs. */
export function fn(
  id: string,
  name: string,
  x: number,
  y: number,
  outputs: number,
  func: string,
  wires: string[][],
  initialize = '',
): FlowNode {
  return node(
    'function',
    id,
    name,
    x,
    y,
    {
      func: func.trim() + '\n',
      outputs,
      timeout: 0,
      noerr: 0,
      initialize: initialize.trim(),
      finalize: '',
      libs: [],
    },
    wires,
  );
}

export function httpIn(
  id: string,
  method: 'get' | 'post',
  url: string,
  x: number,
  y: number,
  wires: string[][],
): FlowNode {
  return node(
    'http in',
    id,
    `${method.toUpperCase()} ${url}`,
    x,
    y,
    { url, method, upload: false, swaggerDoc: '' },
    wires,
  );
}

export function httpResponse(id: string, name: string, x: number, y: number, headers: object = {}): FlowNode {
  return node('http response', id, name, x, y, { statusCode: '', headers }, []);
}

/** A template node answering with `template` (a page of flows/pages) as msg.payload. */
export function template(
  id: string,
  name: string,
  x: number,
  y: number,
  syntax: 'plain' | 'mustache',
  text: string,
  wires: string[][],
): FlowNode {
  return node(
    'template',
    id,
    name,
    x,
    y,
    { field: 'payload', fieldType: 'msg', format: 'html', syntax, template: text, output: 'str' },
    wires,
  );
}
