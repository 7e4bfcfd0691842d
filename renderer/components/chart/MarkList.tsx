import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MarkItem } from '../../../shared/charts/figure.js';

/**
 * The chart's marks as a listbox, for keyboard and screen-reader users: one tab stop, arrow keys move,
 * Enter (or a click) selects the mark, as a click on the chart would. Visually hidden until it has
 * focus, then shown as a panel over the foot of the chart so sighted keyboard users see where they are.
 */
export function MarkList({ marks, total, title, onSelect }: {
  marks: MarkItem[];
  /** All marks of the chart (the list may hold only the first few hundred). */
  total: number;
  title: string;
  onSelect?(mark: MarkItem, at: DOMRect): void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [active, setActive] = useState(0);
  const current = Math.min(active, marks.length - 1);
  const optionId = (i: number) => `${id}-mark-${i}`;

  const listRef = useRef<HTMLUListElement>(null);
  useEffect(() => {
    // Only while the list has focus: scrolling the hidden list on mount would scroll the page.
    if (document.activeElement !== listRef.current) return;
    document.getElementById(`${id}-mark-${current}`)?.scrollIntoView?.({ block: 'nearest' });
  }, [id, current]);

  const select = (i: number) => {
    const mark = marks[i];
    const element = document.getElementById(optionId(i));
    if (mark && element) onSelect?.(mark, element.getBoundingClientRect());
  };
  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    const last = marks.length - 1;
    const moves: Record<string, number> = { ArrowDown: current + 1, ArrowUp: current - 1, Home: 0, End: last, PageDown: current + 10, PageUp: current - 10 };
    if (e.key in moves) {
      e.preventDefault();
      setActive(Math.max(0, Math.min(last, moves[e.key]!)));
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      select(current);
    }
  };

  if (!marks.length) return null;
  return (
    <div className="chart-marks">
      <ul ref={listRef} role="listbox" tabIndex={0} aria-label={t('charts.marks.label', { title })} aria-activedescendant={optionId(current)} onKeyDown={onKeyDown}>
        {marks.map((mark, i) => (
          <li
            key={mark.row}
            id={optionId(i)}
            role="option"
            aria-selected={i === current}
            className={i === current ? 'active' : undefined}
            onClick={() => {
              setActive(i);
              select(i);
            }}
          >
            {mark.label}
          </li>
        ))}
      </ul>
      {total > marks.length && <p className="chart-marks-more">{t('charts.marks.more', { shown: marks.length, total })}</p>}
    </div>
  );
}
