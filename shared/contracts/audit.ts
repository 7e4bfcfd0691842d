import { z } from 'zod';
import { defineContract } from './define.js';

/** What happened. New actions are added over time; readers must accept unknown ones. */
export type AuditAction =
  | 'cache.created'
  | 'session.unlocked'
  | 'session.unlock_failed'
  | 'session.locked'
  | 'session.passphrase_changed'
  | 'settings.changed'
  | 'device_unlock.enabled'
  | 'device_unlock.disabled'
  | 'connection.saved'
  | 'connection.removed'
  | 'extract.synced'
  | 'extract.sync_failed'
  | 'extract.revoked'
  | 'extract.purged_identity'
  | 'report.open'
  | 'report.published'
  | 'report.unpublished'
  | 'forecast.saved'
  | 'forecast.export'
  | 'export.file';

/** One entry of the local audit log, kept inside the encrypted cache. */
export interface AuditEvent {
  id: number;
  /** ISO 8601 instant. */
  at: string;
  action: AuditAction;
  /** Action-specific facts (never secrets). */
  detail: Record<string, unknown>;
}

export interface AuditListRequest {
  /** Most events to return, newest first (default 200). */
  limit?: number;
  /** Only events with an id below this one (for paging back). */
  beforeId?: number;
}

/** The local audit log. Fails with LOCKED while locked. */
export interface AuditService {
  /** Newest first. */
  list(request?: AuditListRequest): Promise<AuditEvent[]>;
}

export const auditContract = defineContract<AuditService>()({
  list: z.tuple([
    z
      .object({
        limit: z.number().int().min(1).max(10_000).optional(),
        beforeId: z.number().int().min(1).optional(),
      })
      .strict()
      .optional(),
  ]),
});
