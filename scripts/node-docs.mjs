#!/usr/bin/env node
// Writes docs/nodes.md from the editor help of every node in package.json's node-red.nodes
// (nodes/<node>/locales/en-US/<node>.html, the <script data-help-name> block): the help is the one
// source of the node reference. `node scripts/node-docs.mjs --print` prints it instead of writing it.
//
// The help is written in Node-RED's conventions (h3 Inputs / Outputs / Details / References,
// dl.message-properties, ol.node-ports) with a small set of tags; this converts exactly that set and
// stops with the file and tag on anything else, so the page never drops text silently.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const nodesDocPath = path.join(projectRoot, 'docs', 'nodes.md');

const WIDTH = 110;
const VOID = new Set(['br']);
const INLINE = new Set(['#text', 'code', 'b', 'strong', 'i', 'em', 'a', 'span']);
const ENTITIES = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ', rarr: '->', larr: '<-' };

/** The node types in palette order, from package.json. */
export async function nodeTypes() {
  const pkg = JSON.parse(await readFile(path.join(projectRoot, 'package.json'), 'utf8'));
  return Object.keys(pkg['node-red'].nodes);
}

export function helpPath(type) {
  return path.join(projectRoot, 'nodes', type, 'locales', 'en-US', `${type}.html`);
}

/** The inner HTML of a node's help block, or undefined when the file or block is missing. */
export async function readHelp(type) {
  const file = helpPath(type);
  if (!existsSync(file)) return undefined;
  const html = await readFile(file, 'utf8');
  const open = new RegExp(`<script type="text/html" data-help-name="${type}">`).exec(html);
  if (!open) return undefined;
  const end = html.indexOf('</script>', open.index);
  return end < 0 ? undefined : html.slice(open.index + open[0].length, end);
}

function decode(text, where) {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (all, name) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return String.fromCodePoint(code);
    }
    if (!(name in ENTITIES)) throw new Error(`${where}: unknown entity ${all}`);
    return ENTITIES[name];
  });
}

/** A tree of { tag, attrs, children } and { tag: '#text', text } from the help's well-formed HTML. */
export function parseHtml(html, where) {
  const root = { tag: '#root', attrs: {}, children: [] };
  const stack = [root];
  const token = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^<>]*?)?)\s*(\/?)>|([^<]+)|(<)/g;
  for (const m of html.matchAll(token)) {
    const [, closing, rawTag, rawAttrs, selfClosing, text, stray] = m;
    const top = stack[stack.length - 1];
    if (stray) throw new Error(`${where}: a bare "<" at ${m.index}`);
    if (text !== undefined) {
      top.children.push({ tag: '#text', text: decode(text, where) });
      continue;
    }
    if (!rawTag) continue; // a comment
    const tag = rawTag.toLowerCase();
    if (closing) {
      if (top.tag !== tag) throw new Error(`${where}: </${tag}> closes <${top.tag}>`);
      stack.pop();
      continue;
    }
    const attrs = {};
    for (const a of (rawAttrs ?? '').matchAll(/([a-zA-Z-]+)(?:="([^"]*)")?/g))
      attrs[a[1]] = decode(a[2] ?? '', where);
    const element = { tag, attrs, children: [] };
    top.children.push(element);
    if (!VOID.has(tag) && !selfClosing) stack.push(element);
  }
  if (stack.length !== 1) throw new Error(`${where}: <${stack[stack.length - 1].tag}> is not closed`);
  return root;
}

function textOf(node) {
  return node.tag === '#text' ? node.text : node.children.map(textOf).join('');
}

let files;
/** The project's files as git sees them (tracked, or new and not ignored): no links to local data. */
function projectFiles() {
  files ??= execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: projectRoot,
    encoding: 'utf8',
  }).split('\n');
  return files;
}

const classes = (node) => (node.attrs.class ?? '').split(/\s+/).filter(Boolean);

/** A code span naming a file of the project becomes a link to it (relative to docs/). */
function codeLink(code) {
  if (!/^(README\.md|(docs|nodes|flows|bench|tools|test|scripts|examples|models)\/[\w./-]+)$/.test(code)) {
    return undefined;
  }
  const target = code.replace(/\/$/, '');
  if (!projectFiles().some((f) => f === target || f.startsWith(`${target}/`))) return undefined;
  return path.posix.relative('docs', target) + (code.endsWith('/') ? '/' : '');
}

/** Markdown's own characters escaped; an underscore inside a word and a "<" before a space are plain. */
function escapeText(text) {
  return text.replace(/[\\`*_[\]<]/g, (c, at) => {
    const before = text[at - 1] ?? ' ';
    const after = text[at + 1] ?? ' ';
    if (c === '_' && /\w/.test(before) && /\w/.test(after)) return c;
    if (c === '<') return /[A-Za-z/!?]/.test(after) ? '&lt;' : c;
    return `\\${c}`;
  });
}

/** Wraps emphasis markers around the words, leaving the spaces at either end outside. */
function wrapMarks(inner, mark) {
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner);
  return m[2] ? `${m[1]}${mark}${m[2]}${mark}${m[3]}` : inner;
}

function inline(node, where) {
  switch (node.tag) {
    case '#text':
      return escapeText(node.text.replace(/\s+/g, ' '));
    case 'code': {
      const code = textOf(node).replace(/\s+/g, ' ').trim();
      const fence = code.includes('`') ? '``' : '`';
      const span = fence === '``' ? `\`\` ${code} \`\`` : `\`${code}\``;
      const link = codeLink(code);
      return link ? `[${span}](${link})` : span;
    }
    case 'b':
    case 'strong':
      return wrapMarks(inlines(node.children, where), '**');
    case 'i':
    case 'em':
      return wrapMarks(inlines(node.children, where), '_');
    case 'a':
      if (!node.attrs.href) throw new Error(`${where}: <a> without href`);
      return `[${inlines(node.children, where).trim()}](${node.attrs.href})`;
    case 'span':
      if (!classes(node).includes('property-type'))
        throw new Error(`${where}: <span> other than property-type`);
      return ` _${textOf(node).trim()}_`;
    default:
      throw new Error(`${where}: <${node.tag}> where text was expected`);
  }
}

function inlines(nodes, where) {
  return nodes.map((n) => inline(n, where)).join('');
}

/** Lines of at most WIDTH characters, never starting a line with something Markdown reads as a block. */
function wrap(text, indent) {
  // A code span is one word: a line break inside one would be read as a space but looks broken.
  const words = [];
  for (const word of text.replace(/\s+/g, ' ').trim().split(' ')) {
    const last = words[words.length - 1];
    if (last !== undefined && (last.match(/`/g) ?? []).length % 2 === 1)
      words[words.length - 1] += ` ${word}`;
    else words.push(word);
  }
  const blockStart = /^(?:[-+*]|#{1,6}|>.*|=+|\d{1,9}[.)])$/;
  const lines = [];
  let line = '';
  for (const word of words) {
    if (line && indent.length + line.length + 1 + word.length > WIDTH && !blockStart.test(word)) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : indent + l)).join('\n');
}

/** Splits children into runs of inline content (paragraphs) and block elements. */
function blocks(children, indent, where) {
  const out = [];
  let run = [];
  const flush = () => {
    const text = inlines(run, where).trim();
    if (text) out.push(wrap(text, indent));
    run = [];
  };
  for (const child of children) {
    if (INLINE.has(child.tag)) {
      run.push(child);
      continue;
    }
    flush();
    out.push(block(child, indent, where));
  }
  flush();
  return out.filter(Boolean);
}

/** A list item: marker, first block on the marker's line, the rest indented under it. */
function item(marker, lead, children, indent, where) {
  const inner = indent + ' '.repeat(marker.length + 1);
  const parts = blocks(children, inner, where);
  let first = parts.shift() ?? '';
  if (lead) first = first ? wrap(`${lead} ${first}`, inner) : lead;
  // A list right under the item's text needs no blank line (and without one the outer list stays tight).
  return parts.reduce(
    (text, part) => `${text}${/^(?:-|\d+\.) /.test(part) ? '\n' : '\n\n'}${inner}${part}`,
    `${marker} ${first}`,
  );
}

function block(node, indent, where) {
  const children = node.children;
  switch (node.tag) {
    case 'p':
      return wrap(inlines(children, where).trim(), indent);
    case 'h3':
    case 'h4':
      return `${node.tag === 'h3' ? '###' : '####'} ${inlines(children, where).trim()}`;
    case 'ul':
    case 'ol': {
      const items = children.filter((c) => c.tag !== '#text' || c.text.trim());
      return items
        .map((li, i) => {
          if (li.tag !== 'li') throw new Error(`${where}: <${li.tag}> in a list`);
          return item(node.tag === 'ol' ? `${i + 1}.` : '-', '', li.children, indent, where);
        })
        .join(`\n${indent}`);
    }
    case 'dl': {
      const items = children.filter((c) => c.tag !== '#text' || c.text.trim());
      const lines = [];
      for (let i = 0; i < items.length; i++) {
        const dt = items[i];
        const dd = items[i + 1]?.tag === 'dd' ? items[++i] : undefined;
        if (dt.tag !== 'dt') throw new Error(`${where}: <${dt.tag}> where <dt> was expected`);
        const name = dt.children.filter((c) => c.tag !== 'span');
        const type = dt.children.filter((c) => c.tag === 'span');
        const notes = [...type.map((t) => textOf(t).trim())];
        if (classes(dt).includes('optional')) notes.push('optional');
        const lead = `**${inlines(name, where).trim()}**${notes.length ? ` (${notes.join(', ')})` : ''}${dd ? ':' : ''}`;
        lines.push(item('-', lead, dd ? dd.children : [], indent, where));
      }
      return lines.join(`\n${indent}`);
    }
    case 'pre': {
      const code = textOf(node).replace(/^\n+|\s+$/g, '');
      const lines = code.split('\n');
      const margin = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)[0].length));
      const body = lines.map((l) => (l.trim() ? indent + l.slice(margin) : '')).join('\n');
      return `\`\`\`\n${body}\n${indent}\`\`\``;
    }
    default:
      throw new Error(`${where}: <${node.tag}> is not converted (use p, h3, h4, ul, ol, dl, pre)`);
  }
}

/** One node's help as Markdown, under a heading with the node's name. */
export function helpToMarkdown(type, html) {
  const where = path.relative(projectRoot, helpPath(type));
  const tree = parseHtml(html, where);
  const body = blocks(tree.children, '', where);
  return [`## ${type}`, ...body].join('\n\n');
}

/** docs/nodes.md as it should be (formatted as Prettier leaves it). */
export async function nodeDocs() {
  const types = await nodeTypes();
  const sections = [];
  for (const type of types) {
    const html = await readHelp(type);
    if (html === undefined)
      throw new Error(`${type}: no help in ${path.relative(projectRoot, helpPath(type))}`);
    sections.push(helpToMarkdown(type, html));
  }
  const head = [
    '# The nodes',
    "<!-- Made by `npm run docs` (scripts/node-docs.mjs) from each node's editor help, " +
      'nodes/<node>/locales/en-US/<node>.html: edit the help, not this page. -->',
    '[Back to the README](../README.md)',
    wrap(
      "All nodes are in the palette under **store analytics**. Each section below is the node's help as " +
        "the editor's help sidebar shows it. How the nodes fit together: [architecture.md](architecture.md); " +
        'the counting nodes in depth: [counting.md](counting.md).',
      '',
    ),
    types.map((t) => `- [${t}](#${t})`).join('\n'),
  ];
  const markdown = [...head, ...sections].join('\n\n') + '\n';
  const options = (await prettier.resolveConfig(nodesDocPath)) ?? {};
  return prettier.format(markdown, { ...options, filepath: nodesDocPath });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const markdown = await nodeDocs();
  if (process.argv.includes('--print')) process.stdout.write(markdown);
  else {
    await writeFile(nodesDocPath, markdown);
    console.log(`wrote ${path.relative(projectRoot, nodesDocPath)}`);
  }
}
