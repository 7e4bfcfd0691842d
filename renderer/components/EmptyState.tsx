import { Icon, type IconName } from './Icon.js';

/** A quiet panel saying plainly what will appear here and why it is empty. */
export function EmptyState({ id, icon, title, body }: { id: string; icon: IconName; title: string; body: string }) {
  return (
    <section className="empty" aria-labelledby={id}>
      <div className="empty-icon">
        <Icon name={icon} size={32} />
      </div>
      <h2 id={id}>{title}</h2>
      <p className="muted">{body}</p>
    </section>
  );
}
