import type { ReactNode } from 'react';

/**
 * A small Markdown renderer for model and version descriptions, as MLflow's UI renders them: headings,
 * paragraphs, lists, code blocks, quotes, inline code, bold, italic and links. It builds React elements, never
 * HTML, so a description cannot inject markup; links keep only http(s), mailto and in-app (`#/...`) targets.
 */
const SAFE_HREF = /^(https?:\/\/|mailto:|#\/|\/(?!\/))/i;

const INLINE = /(`[^`]+`)|(\*\*[^*]+\*\*|__[^_]+__)|(\*[^*\s][^*]*\*|_[^_\s][^_]*_)|(\[[^\]]+\]\([^)\s]+\))|(https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"])/g;

export const renderInline = (text: string, keyPrefix = ''): ReactNode[] => {
  const out: ReactNode[] = [];
  let last = 0;
  let n = 0;
  for (const match of text.matchAll(INLINE)) {
    const at = match.index;
    if (at > last) out.push(text.slice(last, at));
    const [token] = match;
    const key = `${keyPrefix}${n++}`;
    if (match[1]) out.push(<code key={key}>{token.slice(1, -1)}</code>);
    else if (match[2]) out.push(<strong key={key}>{renderInline(token.slice(2, -2), `${key}.`)}</strong>);
    else if (match[3]) out.push(<em key={key}>{renderInline(token.slice(1, -1), `${key}.`)}</em>);
    else if (match[4]) {
      const close = token.indexOf('](');
      const label = token.slice(1, close);
      const href = token.slice(close + 2, -1);
      out.push(
        SAFE_HREF.test(href) ? (
          <a key={key} href={href} {...(href.startsWith('#') ? {} : { target: '_blank', rel: 'noopener noreferrer' })}>
            {renderInline(label, `${key}.`)}
          </a>
        ) : (
          token
        ),
      );
    } else
      out.push(
        <a key={key} href={token} target="_blank" rel="noopener noreferrer">
          {token}
        </a>,
      );
    last = at + token.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
};

type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; lines: string[] }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'code'; text: string }
  | { kind: 'quote'; lines: string[] };

const LIST_ITEM = /^\s*([-*+]|\d+[.)])\s+(.*)$/;

export const parseBlocks = (source: string): Block[] => {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (!line.trim()) {
      i++;
      continue;
    }
    if (line.trimStart().startsWith('```')) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] ?? '').trimStart().startsWith('```')) body.push(lines[i++] ?? '');
      i++;
      blocks.push({ kind: 'code', text: body.join('\n') });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: heading[2] ?? '' });
      i++;
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      const ordered = /\d/.test(item[1] ?? '');
      const items: string[] = [];
      while (i < lines.length) {
        const next = LIST_ITEM.exec(lines[i] ?? '');
        if (next) items.push(next[2] ?? '');
        else if ((lines[i] ?? '').trim() && /^\s{2,}/.test(lines[i] ?? '') && items.length) items[items.length - 1] += ` ${(lines[i] ?? '').trim()}`;
        else break;
        i++;
      }
      blocks.push({ kind: 'list', ordered, items });
      continue;
    }
    if (line.startsWith('>')) {
      const quoted: string[] = [];
      while (i < lines.length && (lines[i] ?? '').startsWith('>')) quoted.push((lines[i++] ?? '').replace(/^>\s?/, ''));
      blocks.push({ kind: 'quote', lines: quoted });
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && (lines[i] ?? '').trim() && !LIST_ITEM.test(lines[i] ?? '') && !/^(#{1,6}\s|```|>)/.test((lines[i] ?? '').trimStart())) {
      paragraph.push(lines[i++] ?? '');
    }
    blocks.push({ kind: 'paragraph', lines: paragraph });
  }
  return blocks;
};

const linesWithBreaks = (lines: string[], key: string) =>
  lines.flatMap((line, index) => [...(index ? [<br key={`${key}br${index}`} />] : []), ...renderInline(line, `${key}l${index}.`)]);

/** Headings start at h3: the page's own h1 and section h2s stay the outline's top. */
export const Markdown = ({ source }: { source: string }) => (
  <div className="markdown">
    {parseBlocks(source).map((block, index) => {
      const key = String(index);
      switch (block.kind) {
        case 'heading': {
          const Tag = `h${Math.min(6, block.level + 2)}` as 'h3';
          return <Tag key={key}>{renderInline(block.text, key)}</Tag>;
        }
        case 'code':
          return (
            <pre key={key}>
              <code>{block.text}</code>
            </pre>
          );
        case 'list': {
          const Tag = block.ordered ? 'ol' : 'ul';
          return (
            <Tag key={key}>
              {block.items.map((text, n) => (
                <li key={n}>{renderInline(text, `${key}.${n}.`)}</li>
              ))}
            </Tag>
          );
        }
        case 'quote':
          return <blockquote key={key}>{linesWithBreaks(block.lines, key)}</blockquote>;
        case 'paragraph':
          return <p key={key}>{linesWithBreaks(block.lines, key)}</p>;
      }
    })}
  </div>
);
