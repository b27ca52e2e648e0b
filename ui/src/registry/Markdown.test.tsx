import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from '@testing-library/react';
import { Markdown } from './Markdown';

const html = (source: string) => render(<Markdown source={source} />).container.querySelector('.markdown')!.innerHTML;

describe('<Markdown>', () => {
  afterEach(() => cleanup());

  it('renders headings below the page outline, lists, code, quotes and inline marks', () => {
    expect(html('# Title\n\nSome **bold** and *em* and `code`.\nSecond line.')).toBe(
      '<h3>Title</h3><p>Some <strong>bold</strong> and <em>em</em> and <code>code</code>.<br>Second line.</p>',
    );
    expect(html('- a\n- b\n\n1. one\n2. two')).toBe('<ul><li>a</li><li>b</li></ul><ol><li>one</li><li>two</li></ol>');
    expect(html('```\nx = <b>1</b>\n```')).toBe('<pre><code>x = &lt;b&gt;1&lt;/b&gt;</code></pre>');
    expect(html('> quoted')).toBe('<blockquote>quoted</blockquote>');
  });

  it('never renders markup from the text, and links only to safe targets', () => {
    expect(html('<script>alert(1)</script> <img src=x onerror=alert(1)>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;</p>');
    expect(html('[bad](javascript:alert(1))')).toBe('<p>[bad](javascript:alert(1))</p>');
    expect(html('[ok](https://example.com/a)')).toBe('<p><a href="https://example.com/a" target="_blank" rel="noopener noreferrer">ok</a></p>');
    expect(html('[run](#/experiments/1)')).toBe('<p><a href="#/experiments/1">run</a></p>');
    expect(html('see https://example.com/x.')).toBe('<p>see <a href="https://example.com/x" target="_blank" rel="noopener noreferrer">https://example.com/x</a>.</p>');
  });
});
