import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { FilterBox } from './FilterBox';

const keys = { metrics: ['loss', 'acc'], params: ['lr'], tags: [] };

describe('<FilterBox>', () => {
  afterEach(cleanup);

  it('applies the typed filter on Enter', () => {
    const onApply = vi.fn();
    render(<FilterBox value="" keys={keys} error={undefined} onApply={onApply} />);
    const box = screen.getByRole('combobox');
    fireEvent.change(box, { target: { value: 'metrics.acc > 0.5 ', selectionStart: 18 } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onApply).toHaveBeenCalledWith('metrics.acc > 0.5');
  });

  it('suggests keys and inserts the chosen one with the keyboard', () => {
    const onApply = vi.fn();
    render(<FilterBox value="" keys={keys} error={undefined} onApply={onApply} />);
    const box = screen.getByRole<HTMLInputElement>('combobox');
    fireEvent.change(box, { target: { value: 'metrics.l', selectionStart: 9 } });
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['metrics.loss']);
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(box.value).toBe('metrics.loss ');
    expect(onApply).not.toHaveBeenCalled();
  });

  it("shows the server's message under the box and marks the box invalid", () => {
    render(<FilterBox value="metrics.x >>> 1" keys={keys} error="Invalid filter 'metrics.x >>> 1'" onApply={() => undefined} />);
    expect(screen.getByRole('alert').textContent).toBe("Invalid filter 'metrics.x >>> 1'");
    expect(screen.getByRole('combobox').getAttribute('aria-invalid')).toBe('true');
  });
});
