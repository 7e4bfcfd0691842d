/** One figure with its label, in the row of stat cards. */
export function Stat({ label, value, small = false }: { label: string; value: string; small?: boolean }) {
  return (
    <div className="stat">
      <span className="stat-label">{label}</span>
      <span className={small ? 'stat-value small' : 'stat-value'}>{value}</span>
    </div>
  );
}
