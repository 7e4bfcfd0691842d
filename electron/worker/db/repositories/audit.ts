import type { AuditAction, AuditEvent, AuditListRequest } from '../../../../shared/contracts/audit.js';
import type { Db } from '../cipher.js';

export function appendAudit(db: Db, action: AuditAction, detail: Record<string, unknown> = {}, at = new Date()): void {
  db.prepare('INSERT INTO audit_events (at, action, detail) VALUES (?, ?, ?)').run(at.toISOString(), action, JSON.stringify(detail));
}

export function listAudit(db: Db, request: AuditListRequest = {}): AuditEvent[] {
  const rows = db
    .prepare('SELECT id, at, action, detail FROM audit_events WHERE id < ? ORDER BY id DESC LIMIT ?')
    .all(request.beforeId ?? Number.MAX_SAFE_INTEGER, request.limit ?? 200) as Array<{
    id: number;
    at: string;
    action: AuditAction;
    detail: string;
  }>;
  return rows.map((r) => ({ id: r.id, at: r.at, action: r.action, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}
