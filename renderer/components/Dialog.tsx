import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * The app's one modal dialog: labelled by its title, focus moves into it (to `[data-autofocus]` or the
 * first control) and stays there (Tab wraps), Escape or a click outside closes it, and focus returns
 * to what had it before.
 */
export function Dialog({ title, onClose, children, wide, describedBy, id, className }: {
  title: string;
  onClose(): void;
  children: ReactNode;
  wide?: boolean;
  describedBy?: string;
  /** Stable id prefix (the title gets `${id}-title`); a generated one otherwise. */
  id?: string;
  /** Extra classes on the dialog box. */
  className?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const generated = useId();
  const titleId = id ? `${id}-title` : generated;
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>('[data-autofocus]') ?? ref.current?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => before?.focus?.();
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
      return;
    }
    if (e.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    if (items.length === 0) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={ref} role="dialog" aria-modal="true" aria-labelledby={titleId} aria-describedby={describedBy} className={['dialog', wide ? 'wide' : '', className ?? ''].filter(Boolean).join(' ')} onKeyDown={onKeyDown}>
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
    </div>
  );
}
