import { describe, it, expect } from 'vitest';
import {
  Bindings,
  matchTemplate,
  parseTemplate,
  substituteJson,
  substituteText,
  wholePlaceholder,
  type Placeholder,
} from '../../support/conformance/placeholders.js';

const ph = (text: string): Placeholder => {
  const p = wholePlaceholder(text);
  if (!p) throw new Error(`not a placeholder: ${text}`);
  return p;
};

describe('parseTemplate', () => {
  it('splits a string into literals and placeholders', () => {
    // Prepare
    const template = 'mlflow-artifacts:/{{exp:1}}/{{run:1}}/artifacts';

    // Act
    const segments = parseTemplate(template);

    // Assess
    expect(segments.map((s) => (typeof s === 'string' ? s : s.key))).toEqual(['mlflow-artifacts:/', 'exp:1', '/', 'run:1', '/artifacts']);
  });

  it('recognises a whole-value placeholder only when it is the entire string', () => {
    // Prepare
    const whole = '{{ts:3}}';
    const embedded = 'x{{ts:3}}';

    // Act
    const a = wholePlaceholder(whole);
    const b = wholePlaceholder(embedded);

    // Assess
    expect(a).toMatchObject({ kind: 'ts', label: '3', key: 'ts:3' });
    expect(b).toBeUndefined();
  });

  it('rejects a malformed placeholder', () => {
    // Prepare
    const template = 'id {{run}}';

    // Act
    const act = () => parseTemplate(template);

    // Assess
    expect(act).toThrow(/malformed placeholder \{\{run\}\}/);
  });
});

describe('substitution into requests', () => {
  it('turns whole-value ts and len placeholders into numbers and identities into strings', () => {
    // Prepare
    const bindings = new Bindings();
    bindings.preset('ts:1', 1795377021004);
    bindings.preset('len:4', 321);
    bindings.bind(ph('{{exp:1}}'), '7');
    const unbound: string[] = [];

    // Act
    const body = substituteJson({ start_time: '{{ts:1}}', size: '{{len:4}}', experiment_id: '{{exp:1}}', at: 't={{ts:1}}' }, bindings, unbound);

    // Assess
    expect(body).toEqual({ start_time: 1795377021004, size: 321, experiment_id: '7', at: 't=1795377021004' });
    expect(unbound).toEqual([]);
  });

  it('reports unbound placeholders and leaves their text in place', () => {
    // Prepare
    const bindings = new Bindings();
    const unbound: string[] = [];

    // Act
    const text = substituteText('/runs/{{run:2}}/x', bindings, unbound);

    // Assess
    expect(text).toBe('/runs/{{run:2}}/x');
    expect(unbound).toEqual(['{{run:2}}']);
  });
});

describe('Bindings', () => {
  it('refuses to bind two labels of an injective kind to the same value', () => {
    // Prepare
    const bindings = new Bindings();
    bindings.bind(ph('{{run:1}}'), 'abc');

    // Act
    const problem = bindings.bind(ph('{{run:2}}'), 'abc');

    // Assess
    expect(problem).toMatch(/already bound to \{\{run:1\}\}/);
    expect(bindings.has('run:2')).toBe(false);
  });

  it('lets different token labels bind the same value', () => {
    // Prepare
    const bindings = new Bindings();
    bindings.bind(ph('{{token:1}}'), 'page-2');

    // Act
    const problem = bindings.bind(ph('{{token:2}}'), 'page-2');

    // Assess
    expect(problem).toBeUndefined();
  });

  it('undoes bindings made after a mark, releasing their values', () => {
    // Prepare
    const bindings = new Bindings();
    bindings.bind(ph('{{run:1}}'), 'a');
    const mark = bindings.mark();
    bindings.bind(ph('{{run:2}}'), 'b');

    // Act
    bindings.undo(mark);

    // Assess
    expect(bindings.has('run:2')).toBe(false);
    expect(bindings.bind(ph('{{run:3}}'), 'b')).toBeUndefined();
    expect(bindings.get('run:1')).toBe('a');
  });
});

describe('matchTemplate (embedded placeholders)', () => {
  it('binds an unbound placeholder to the shortest run that lets the whole string match', () => {
    // Prepare
    const bindings = new Bindings();

    // Act
    const problem = matchTemplate('{{run:1}}/{{run:2}}', 'a/b/c', bindings);

    // Assess
    expect(problem).toBeUndefined();
    expect(bindings.get('run:1')).toBe('a');
    expect(bindings.get('run:2')).toBe('b/c');
  });

  it('matches a bound placeholder only against its value', () => {
    // Prepare
    const bindings = new Bindings();
    bindings.bind(ph('{{exp:1}}'), '12');

    // Act
    const good = matchTemplate('mlflow-artifacts:/{{exp:1}}', 'mlflow-artifacts:/12', bindings);
    const bad = matchTemplate('mlflow-artifacts:/{{exp:1}}', 'mlflow-artifacts:/13', bindings);

    // Assess
    expect(good).toBeUndefined();
    expect(bad).toMatch(/expected "mlflow-artifacts:\/12", got "mlflow-artifacts:\/13"/);
  });

  it('requires a repeated unbound placeholder to repeat the same text', () => {
    // Prepare
    const bindings = new Bindings();

    // Act
    const same = matchTemplate('x{{run:1}}y{{run:1}}', 'xAByAB', bindings);
    const other = matchTemplate('x{{run:5}}y{{run:5}}', 'xAByCD', new Bindings());

    // Assess
    expect(same).toBeUndefined();
    expect(bindings.get('run:1')).toBe('AB');
    expect(other).toBeDefined();
  });

  it('does not bind a value already bound to another label of the same kind', () => {
    // Prepare
    const bindings = new Bindings();
    bindings.bind(ph('{{run:1}}'), 'r1');

    // Act
    const problem = matchTemplate('run {{run:2}}', 'run r1', bindings);

    // Assess
    expect(problem).toBeDefined();
    expect(bindings.has('run:2')).toBe(false);
  });

  it('makes no binding when the whole string does not match', () => {
    // Prepare
    const bindings = new Bindings();

    // Act
    const problem = matchTemplate('{{run:1}}/artifacts', 'abc/models', bindings);

    // Assess
    expect(problem).toBeDefined();
    expect(bindings.has('run:1')).toBe(false);
  });

  it('matches {{ts}} against digits only', () => {
    // Prepare
    const template = "VALUES ('x', {{ts}}, {{ts}})";

    // Act
    const digits = matchTemplate(template, "VALUES ('x', 1795377021004, 17)", new Bindings());
    const letters = matchTemplate(template, "VALUES ('x', 17a, 17)", new Bindings());

    // Assess
    expect(digits).toBeUndefined();
    expect(letters).toBeDefined();
  });

  it('matches {{any:string}} against any text, including none', () => {
    // Prepare
    const template = "Invalid comparator '>>>' not one of '{{any:string}}";

    // Act
    const some = matchTemplate(template, "Invalid comparator '>>>' not one of '{'<', '>'}", new Bindings());
    const none = matchTemplate(template, "Invalid comparator '>>>' not one of '", new Bindings());
    const wrongPrefix = matchTemplate(template, "Bad comparator '>>>' not one of 'x", new Bindings());

    // Assess
    expect(some).toBeUndefined();
    expect(none).toBeUndefined();
    expect(wrongPrefix).toBeDefined();
  });

  it('matches an embedded {{len:S}} against the recorded request length', () => {
    // Prepare
    const bindings = new Bindings();
    bindings.preset('len:14', 812);

    // Act
    const good = matchTemplate('size={{len:14}}', 'size=812', bindings);
    const bad = matchTemplate('size={{len:14}}', 'size=813', bindings);

    // Assess
    expect(good).toBeUndefined();
    expect(bad).toBeDefined();
  });

  it('points at the first difference of long strings', () => {
    // Prepare
    const template = `${'a'.repeat(300)}X${'b'.repeat(10)}`;
    const actual = `${'a'.repeat(300)}Y${'b'.repeat(10)}`;

    // Act
    const problem = matchTemplate(template, actual, new Bindings());

    // Assess
    expect(problem).toMatch(/differ at offset 300/);
  });
});
