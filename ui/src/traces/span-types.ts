/** Span types with a color of their own (traces.css); any other type is drawn in the neutral color. */
const COLORED_TYPES = new Set(['LLM', 'CHAT_MODEL', 'AGENT', 'TOOL', 'RETRIEVER', 'EMBEDDING', 'RERANKER', 'PARSER', 'CHAIN', 'MEMORY']);

export const typeClass = (type: string) => `type-${COLORED_TYPES.has(type) ? type : 'OTHER'}`;

const TYPE_LABEL: Record<string, string> = {
  LLM: 'LLM',
  CHAT_MODEL: 'Chat model',
  AGENT: 'Agent',
  TOOL: 'Tool',
  RETRIEVER: 'Retriever',
  EMBEDDING: 'Embedding',
  RERANKER: 'Reranker',
  PARSER: 'Parser',
  CHAIN: 'Chain',
  MEMORY: 'Memory',
  FUNCTION: 'Function',
  UNKNOWN: 'Span',
};

export const typeLabel = (type: string) => TYPE_LABEL[type] ?? type.charAt(0) + type.slice(1).toLowerCase().replace(/_/g, ' ');
