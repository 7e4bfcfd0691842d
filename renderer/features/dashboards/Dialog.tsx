import type { ReactNode } from 'react';
import { Dialog as AppDialog } from '../../components/Dialog.js';

/** The app's dialog in the dashboards' card style. */
export function Dialog({ id, title, onClose, children, wide }: { id: string; title: string; onClose(): void; children: ReactNode; wide?: boolean }) {
  return (
    <AppDialog id={id} title={title} onClose={onClose} className={wide ? 'card wide-dialog' : 'card'}>
      {children}
    </AppDialog>
  );
}
