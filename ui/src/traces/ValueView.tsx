import { useState } from 'react';
import { JsonTree } from '../views/artifacts/JsonTree';

export interface ChatMessage {
  role: string;
  content: string;
}

const isObj = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const contentText = (content: unknown): string | undefined => {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof part === 'string' ? part : isObj(part) && typeof part.text === 'string' ? part.text : isObj(part) ? `[${String(part.type ?? 'part')}]` : ''))
      .join('\n');
  }
  return undefined;
};

const asMessages = (list: unknown): ChatMessage[] | undefined => {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const out: ChatMessage[] = [];
  for (const item of list) {
    if (!isObj(item) || typeof item.role !== 'string') return undefined;
    const text = contentText(item.content);
    const calls = Array.isArray(item.tool_calls) ? item.tool_calls.length : 0;
    if (text === undefined) return undefined;
    out.push({ role: item.role, content: text || (calls ? `(${calls} tool call${calls > 1 ? 's' : ''})` : '') });
  }
  return out;
};

/** Chat messages in the shapes LLM spans carry: a message list, OpenAI's `{messages}` input or `{choices}` output. */
export const chatMessages = (value: unknown): ChatMessage[] | undefined => {
  if (Array.isArray(value)) return asMessages(value);
  if (!isObj(value)) return undefined;
  if (value.messages) return asMessages(value.messages);
  if (Array.isArray(value.choices)) return asMessages(value.choices.map((choice) => (isObj(choice) ? choice.message : undefined)));
  return undefined;
};

/** An input or output: text as text, chat as messages, anything else as foldable JSON, with the raw JSON a click away. */
export const ValueView = ({ label, value }: { label: string; value: unknown }) => {
  const messages = chatMessages(value);
  const [mode, setMode] = useState<'pretty' | 'raw'>('pretty');
  if (value === undefined) {
    return (
      <section className="value-view" aria-label={label}>
        <h3>{label}</h3>
        <p className="muted small">None recorded.</p>
      </section>
    );
  }
  const raw = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return (
    <section className="value-view" aria-label={label}>
      <div className="row value-head">
        <h3>{label}</h3>
        {typeof value !== 'string' && (
          <div className="segmented small" role="group" aria-label={`${label} view`}>
            <button type="button" aria-pressed={mode === 'pretty'} onClick={() => setMode('pretty')}>
              {messages ? 'Chat' : 'Tree'}
            </button>
            <button type="button" aria-pressed={mode === 'raw'} onClick={() => setMode('raw')}>
              JSON
            </button>
          </div>
        )}
        <button type="button" className="link small" onClick={() => void navigator.clipboard?.writeText(raw)}>
          Copy
        </button>
      </div>
      {mode === 'raw' || typeof value === 'string' || value === null || typeof value !== 'object' ? (
        <pre className="value-text">{raw}</pre>
      ) : messages ? (
        <ol className="chat" aria-label={`${label} messages`}>
          {messages.map((message, i) => (
            <li key={i} className={`chat-message role-${message.role}`}>
              <span className="chat-role">{message.role}</span>
              <div className="chat-content">{message.content}</div>
            </li>
          ))}
        </ol>
      ) : (
        <div className="json-view value-json">
          <JsonTree value={value} />
        </div>
      )}
    </section>
  );
};
