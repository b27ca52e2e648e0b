import { readFile } from 'node:fs/promises';
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';

/**
 * MLflow's file store writes every `meta.yaml` with PyYAML (`yaml.dump(..., default_flow_style=False,
 * allow_unicode=True, sort_keys=True)`, `mlflow/utils/yaml_utils.py`), which speaks YAML 1.1: PyYAML quotes a
 * string exactly when YAML 1.1 would read it as something else (`'0'`, `'yes'`, `''`). Parsing with YAML 1.2
 * rules would misread a few plain strings PyYAML leaves bare (`0o17`, `1_000` read back differently), so the
 * document is parsed with every scalar as text and the plain ones are resolved here with PyYAML's own rules.
 */

export type MetaValue = string | number | boolean | null | MetaValue[] | { [key: string]: MetaValue };
export type Meta = { readonly [key: string]: MetaValue };

const YAML11_NULL = /^(?:~|null|Null|NULL|)$/;
const YAML11_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const YAML11_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const YAML11_INT = /^[-+]?(?:0b[01_]+|0[0-7_]+|(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const YAML11_FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

const sexagesimal = (digits: string): number =>
  digits.split(':').reduce((total, part) => total * 60 + Number(part), 0);

const yaml11Int = (text: string): number => {
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[-+]/, '').replaceAll('_', '');
  if (body.startsWith('0b')) return sign * parseInt(body.slice(2), 2);
  if (body.startsWith('0x')) return sign * parseInt(body.slice(2), 16);
  if (body.includes(':')) return sign * sexagesimal(body);
  if (body.length > 1 && body.startsWith('0')) return sign * parseInt(body, 8);
  return sign * Number(body);
};

const yaml11Float = (text: string): number => {
  const lower = text.toLowerCase().replaceAll('_', '');
  if (lower.endsWith('.nan')) return Number.NaN;
  if (lower.endsWith('.inf')) return lower.startsWith('-') ? -Infinity : Infinity;
  if (lower.includes(':')) {
    const sign = lower.startsWith('-') ? -1 : 1;
    return sign * sexagesimal(lower.replace(/^[-+]/, ''));
  }
  return Number(lower);
};

/** What PyYAML's SafeLoader makes of an unquoted scalar (timestamps stay text: MLflow writes none). */
export const resolvePlainScalar = (text: string): MetaValue => {
  if (YAML11_NULL.test(text)) return null;
  if (YAML11_TRUE.test(text)) return true;
  if (YAML11_FALSE.test(text)) return false;
  if (YAML11_INT.test(text)) {
    // An int beyond 2^53 (MLflow's experiment ids are up to 18 digits, once written as ints) keeps its digits.
    const value = yaml11Int(text);
    return Number.isSafeInteger(value) ? value : text;
  }
  if (YAML11_FLOAT.test(text)) return yaml11Float(text);
  return text;
};

const toValue = (node: Node | null | undefined): MetaValue => {
  if (node === null || node === undefined) return null;
  if (isScalar(node)) {
    const text = String(node.value ?? '');
    return node.type === 'PLAIN' ? resolvePlainScalar(text) : text;
  }
  if (isSeq(node)) return node.items.map((item) => toValue(item as Node | null));
  if (isMap(node)) {
    const object: { [key: string]: MetaValue } = {};
    for (const pair of node.items) {
      const key = toValue(pair.key as Node | null);
      object[String(key)] = toValue(pair.value as Node | null);
    }
    return object;
  }
  throw new Error(`unsupported YAML node ${String(node)}`);
};

/** Parses one meta.yaml; an empty file (MLflow retries on those: a concurrent write) gives `{}`. */
export const parseMetaYaml = (text: string): Meta => {
  const document = parseDocument(text, { schema: 'failsafe', uniqueKeys: false });
  if (document.errors.length > 0) throw new Error(document.errors[0]?.message ?? 'invalid YAML');
  const value = toValue(document.contents as Node | null);
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error('meta.yaml is not a mapping');
  return value;
};

/** The meta.yaml of a folder, or undefined when the folder has none. */
export const readMetaFile = async (path: string): Promise<Meta | undefined> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return parseMetaYaml(text);
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
};

/** A text field; numbers become text because old MLflow wrote some ids (experiment_id) as ints. */
export const metaString = (meta: Meta, key: string): string | undefined => {
  const value = meta[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
};

export const metaNumber = (meta: Meta, key: string): number | undefined => {
  const value = meta[key];
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
};

/** A `{key: value}` mapping field (dataset input tags), each value as text. */
export const metaStringMap = (meta: Meta, key: string): Record<string, string> => {
  const value = meta[key];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === null ? '' : String(v)]));
};
