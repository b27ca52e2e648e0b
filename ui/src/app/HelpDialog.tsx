import { useEffect, useRef } from 'react';

const SHORTCUTS: [string, string][] = [
  ['/  or  ⌘K / Ctrl+K', 'Search or filter on this page'],
  ['j / k  or  ↓ / ↑', 'Next / previous row'],
  ['Enter', 'Open the current row'],
  ['x  or  Space', 'Select the current run'],
  ['Shift + j / k', 'Extend the selection'],
  ['Shift + click', 'Select a range of runs'],
  ['c', 'Compare the selected runs'],
  ['Esc', 'Leave a field or close a dialog'],
  ['?', 'This help'],
];

export const HelpDialog = ({ open, onClose }: { open: boolean; onClose: () => void }) => {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog ref={dialog} onClose={onClose} aria-labelledby="help-title">
      <h2 id="help-title">Keyboard shortcuts</h2>
      <table className="kv">
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={keys}>
              <td>
                <span className="kbd">{keys}</span>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row" style={{ justifyContent: 'flex-end', marginTop: 12 }}>
        <button type="button" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </dialog>
  );
};
