/**
 * Text as MLflow's Python writes it into an mlruns folder: `str(float)` for metric values and PyYAML's
 * `yaml.dump(data, default_flow_style=False, allow_unicode=True, sort_keys=True)` for meta.yaml. Written
 * independently of the source's reader, so a test compares two readings of MLflow, not one with itself.
 */

/** Python's `repr(float)`: shortest round-trip digits, fixed notation for exponents -4..15, else `1e-05`. */
export const pythonFloat = (value: number): string => {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const sign = value < 0 ? '-' : '';
  const [mantissa = '', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    return `${sign}${whole}.${digits.slice(exponent + 1) || '0'}`;
  }
  const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
  const exponentDigits = String(Math.abs(exponent)).padStart(2, '0');
  return `${sign}${digits[0]}${fraction}e${exponent < 0 ? '-' : '+'}${exponentDigits}`;
};

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

// PyYAML quotes a string exactly when its YAML 1.1 resolvers would read it as something else: null, bool,
// int, float, a date, `<<` or `=` (so a run id like `49f8…` stays bare while `'0'` is quoted). Quoting a little
// more than PyYAML (`y`, `n`, any date-like prefix) is harmless.
const YAML11_TYPED: readonly RegExp[] = [
  /^(?:~|null|Null|NULL)$/,
  /^(?:y|Y|n|N|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^[-+]?(?:0b[01_]+|0[0-7_]+|0|[1-9][0-9_]*|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^[-+]?(?:[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|\.(?:inf|Inf|INF))$/,
  /^\.(?:nan|NaN|NAN)$/,
  /^\d{4}-\d\d?-\d\d?/,
  /^(?:<<|=)$/,
];
const STARTS_WITH_INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`]/;
const NEEDS_ESCAPES = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

const scalar = (text: string): string => {
  if (NEEDS_ESCAPES.test(text)) return JSON.stringify(text);
  const plain =
    text !== '' &&
    !YAML11_TYPED.some((pattern) => pattern.test(text)) &&
    !STARTS_WITH_INDICATOR.test(text) &&
    text.trim() === text &&
    !text.includes(': ') &&
    !text.includes(' #') &&
    !text.endsWith(':');
  return plain ? text : `'${text.replaceAll("'", "''")}'`;
};

const inline = (value: YamlValue): string | undefined => {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pythonFloat(value);
  if (typeof value === 'string') return scalar(value);
  if (Array.isArray(value)) return value.length === 0 ? '[]' : undefined;
  return Object.keys(value).length === 0 ? '{}' : undefined;
};

const sortedKeys = (object: { [key: string]: YamlValue }): string[] =>
  Object.keys(object).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

const block = (value: YamlValue, indent: string): string[] => {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      const text = inline(item);
      if (text !== undefined) return [`${indent}- ${text}`];
      const [first = '', ...rest] = block(item, `${indent}  `);
      return [`${indent}- ${first.trimStart()}`, ...rest];
    });
  }
  const object = value as { [key: string]: YamlValue };
  return sortedKeys(object).flatMap((key) => {
    const item = object[key] as YamlValue;
    const text = inline(item);
    if (text !== undefined) return [`${indent}${scalar(key)}: ${text}`];
    // PyYAML indents a mapping's entries under its key, but a list's items at the key's own level.
    return [`${indent}${scalar(key)}:`, ...block(item, Array.isArray(item) ? indent : `${indent}  `)];
  });
};

/** A mapping dumped the way MLflow's `write_yaml` does. */
export const pyYamlDump = (data: { [key: string]: YamlValue }): string => `${block(data, '').join('\n')}\n`;
