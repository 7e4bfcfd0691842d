import { useEffect, useId, useRef, useState, type CSSProperties, type DragEventHandler, type KeyboardEvent, type ReactNode, type RefObject } from 'react';

/** One command of a popup menu. */
export interface MenuItem {
  key: string;
  label: string;
  disabled?: boolean;
  onSelect(): void;
}

/**
 * A popup menu (WAI-ARIA menu pattern): focus moves to the first item, arrows/Home/End move between
 * items, Enter/Space choose, Escape or Tab or a click outside close it and focus returns to the opener.
 */
export function PopupMenu({ id, label, items, onClose, style, className, opener }: {
  id?: string;
  label: string;
  items: MenuItem[];
  onClose(): void;
  style?: CSSProperties;
  className?: string;
  /** The button that toggles the menu: a press on it is not a click outside. */
  opener?: RefObject<HTMLElement | null>;
}) {
  const ref = useRef<HTMLUListElement>(null);
  const buttons = () => [...(ref.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not([disabled])') ?? [])];

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    buttons()[0]?.focus();
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node) && !opener?.current?.contains(e.target as Node)) onClose();
    };
    document.addEventListener('mousedown', onDown);
    return () => {
      document.removeEventListener('mousedown', onDown);
      // Back to the opener, unless the choice moved focus somewhere on purpose.
      if (previous && (document.activeElement === document.body || document.activeElement === null || ref.current?.contains(document.activeElement))) previous.focus?.();
    };
    // Mount only: the menu is recreated for each opening.
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    const list = buttons();
    const at = list.indexOf(document.activeElement as HTMLButtonElement);
    const go = (i: number) => list[(i + list.length) % list.length]?.focus();
    if (e.key === 'ArrowDown') go(at + 1);
    else if (e.key === 'ArrowUp') go(at - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(list.length - 1);
    else if (e.key === 'Escape' || e.key === 'Tab') onClose();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <ul ref={ref} id={id} role="menu" aria-label={label} className={`popup-menu ${className ?? ''}`} style={style} onKeyDown={onKeyDown}>
      {items.map((item) => (
        <li role="none" key={item.key}>
          <button
            type="button"
            role="menuitem"
            disabled={item.disabled}
            onClick={() => {
              onClose();
              item.onSelect();
            }}
          >
            {item.label}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** A button that opens a popup menu below it. */
export function MenuButton({ label, menuLabel, items, className, children, title, onDragStart, draggable, buttonRef, onKeyDown }: {
  /** Accessible name of the button (when its content is not enough). */
  label?: string;
  menuLabel: string;
  items: MenuItem[];
  className?: string;
  children: ReactNode;
  title?: string;
  draggable?: boolean;
  onDragStart?: DragEventHandler<HTMLButtonElement>;
  /** Receives the button element too (focus handling). */
  buttonRef?: RefObject<HTMLButtonElement | null>;
  onKeyDown?(e: KeyboardEvent<HTMLButtonElement>): void;
}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const own = useRef<HTMLButtonElement>(null);
  const button = buttonRef ?? own;
  return (
    <span className="menu-anchor">
      <button ref={button} type="button" className={className} aria-label={label} title={title} aria-haspopup="menu" aria-expanded={open} aria-controls={open ? id : undefined} onClick={() => setOpen((o) => !o)} onKeyDown={onKeyDown} draggable={draggable} onDragStart={onDragStart}>
        {children}
      </button>
      {open && <PopupMenu id={id} label={menuLabel} items={items} onClose={() => setOpen(false)} opener={button} />}
    </span>
  );
}
