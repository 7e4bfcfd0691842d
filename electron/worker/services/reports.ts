import { EXPORT_FORMATS, type Report, type ReportDefinition, type ReportsService } from '../../../shared/contracts/workbench.js';
import { StrongroomError } from '../../../shared/errors.js';
import type { Db } from '../db/cipher.js';
import { appendAudit } from '../db/repositories/audit.js';
import { getConnection } from '../db/repositories/connections.js';
import { deleteReport, extractOrigins, getReport, listReports, localExtractNames, putReport, type StoredReport } from '../db/repositories/reports.js';
import { canAuthor, getAnalysis, getDashboard } from '../db/repositories/workbench.js';
import { publishRemoteReport, readReportGaps, reportsNotInstalled, unpublishRemoteReport } from '../sync/reports.js';
import type { Warehouse } from '../sync/warehouse.js';
import type { Vault } from '../vault.js';
import type { DemoRegistry } from './connections.js';
import { CONNECTION_KEY_PURPOSE, openWarehouse } from './sync.js';
import { requireAuthor } from './workbench.js';

function withLocalState(r: StoredReport, local: Set<string>): Report {
  return { ...r, missingExtracts: r.extracts.filter((e) => !local.has(e)), exportFormats: r.definition.exportFormats };
}

/** A failure of publish_report / unpublish_report as a typed error. */
function reportError(warehouse: Warehouse, err: unknown): StrongroomError {
  if (reportsNotInstalled(err)) {
    return new StrongroomError(
      'SCHEMA_NOT_INSTALLED',
      `The warehouse at ${warehouse.where} cannot take reports: its strongroom schema predates them. Ask a DBA to install the current warehouse/install.sql (see warehouse/README.md).`,
    );
  }
  const { code, message } = err as { code?: string; message?: string };
  // Bad name, title or definition (22023) and roles that do not exist (42704).
  if (code === '22023' || code === '42704') return new StrongroomError('INVALID_ARGUMENT', `The warehouse refused the report: ${message}`);
  return warehouse.error(err); // 42501 → NOT_PERMITTED, connection failures → WAREHOUSE_UNREACHABLE, ...
}

function connectionName(vault: Vault, db: Db, id: string): string {
  try {
    return getConnection(db, vault.deriveKey(CONNECTION_KEY_PURPOSE), id).name;
  } catch {
    return id;
  }
}

/** Everything a publish needs, checked against the cache before the warehouse is contacted. */
function preparePublish(vault: Vault, db: Db, request: Parameters<ReportsService['publish']>[0]) {
  const dashboard = getDashboard(db, request.dashboardId);
  if (!dashboard) throw new StrongroomError('NOT_FOUND', `No saved dashboard "${request.dashboardId}".`);
  const analyses: ReportDefinition['analyses'] = {};
  for (const tile of dashboard.tiles) {
    if (tile.kind !== 'analysis' || analyses[tile.analysisId!]) continue;
    const analysis = getAnalysis(db, tile.analysisId!);
    if (!analysis) throw new StrongroomError('NOT_FOUND', `The dashboard shows the analysis "${tile.analysisId}", which is no longer saved.`);
    analyses[analysis.id] = { title: analysis.title, spec: analysis.spec };
  }
  const extracts = [...new Set(Object.values(analyses).map((a) => a.spec.extract))].sort();
  if (!extracts.length) {
    throw new StrongroomError('INVALID_ARGUMENT', `The dashboard "${dashboard.title}" has no analysis tiles, so a report of it would show no data.`, { path: 'args[0].dashboardId' });
  }
  const origins = extractOrigins(db, extracts);
  const unsynced = extracts.filter((e) => !origins.get(e)?.connectionId);
  if (unsynced.length) {
    throw new StrongroomError('INVALID_ARGUMENT', `The report reads ${unsynced.map((e) => `"${e}"`).join(', ')}, which ${unsynced.length > 1 ? 'are' : 'is'} not synced into this cache from a warehouse. Sync ${unsynced.length > 1 ? 'them' : 'it'} first.`, {
      path: 'args[0].dashboardId',
      extracts: unsynced,
    });
  }
  const connections = new Set(extracts.map((e) => origins.get(e)!.connectionId!));
  if (connections.size > 1) {
    const from = extracts.map((e) => `"${e}" (${connectionName(vault, db, origins.get(e)!.connectionId!)})`).join(', ');
    throw new StrongroomError('INVALID_ARGUMENT', `A report is published to one warehouse, but its extracts come from several connections: ${from}.`, { path: 'args[0].dashboardId', extracts });
  }
  const exportFormats = EXPORT_FORMATS.filter((f) => request.exportFormats.includes(f));
  for (const format of exportFormats) {
    for (const extract of extracts) {
      const allowed = origins.get(extract)!.allowedExports;
      if (!allowed.includes(format)) {
        throw new StrongroomError('NOT_PERMITTED', `Export to ${format} is not allowed by extract "${extract}" (it allows ${allowed.length ? allowed.join(', ') : 'no exports'}).`, { format, extract });
      }
    }
  }
  const title = request.title ?? dashboard.title;
  const definition: ReportDefinition = {
    version: 1,
    title,
    description: dashboard.description,
    tiles: dashboard.tiles,
    filters: dashboard.filters,
    crossFilter: dashboard.crossFilter,
    analyses,
    exportFormats,
  };
  return { connectionId: [...connections][0]!, title, description: dashboard.description, definition, extracts, roles: [...new Set(request.roles)].sort() };
}

export function createReportsService(vault: Vault, demos: DemoRegistry, onChanged: (names: string[]) => void): ReportsService {
  return {
    async list() {
      const db = vault.db();
      const local = localExtractNames(db);
      return listReports(db).map((r) => {
        const { definition: _definition, ...summary } = withLocalState(r, local);
        return summary;
      });
    },

    async get(name) {
      const db = vault.db();
      const report = getReport(db, name);
      if (!report) throw new StrongroomError('NOT_FOUND', `No report "${name}" in this cache. Sync to fetch the reports published to you.`);
      appendAudit(db, 'report.open', { name, connectionId: report.connectionId });
      return withLocalState(report, localExtractNames(db));
    },

    async publish(request) {
      requireAuthor(vault.db());
      const p = preparePublish(vault, vault.db(), request);
      const { warehouse, connectionId } = await openWarehouse(vault, demos, p.connectionId);
      let publishedAt: string;
      let ungranted: Array<{ role: string; extract: string }>;
      try {
        publishedAt = await publishRemoteReport(warehouse, { name: request.name, title: p.title, description: p.description, definition: p.definition, extracts: p.extracts, roles: p.roles }).catch(
          (err: unknown) => {
            throw reportError(warehouse, err);
          },
        );
        // Advisory: the report is published whatever this answers, so a failure here must not say otherwise.
        ungranted = await readReportGaps(warehouse, p.extracts, p.roles).catch(() => []);
      } finally {
        await warehouse.close();
      }
      const db = vault.db();
      db.transaction(() => {
        putReport(db, {
          name: request.name,
          connectionId,
          title: p.title,
          description: p.description,
          definition: p.definition,
          extracts: p.extracts,
          roles: p.roles,
          publishedBy: warehouse.user,
          publishedAt,
          syncedAt: publishedAt,
        });
        appendAudit(db, 'report.published', { name: request.name, connectionId, extracts: p.extracts, roles: p.roles, exportFormats: p.definition.exportFormats });
      })();
      onChanged([request.name]);
      return { name: request.name, extracts: p.extracts, roles: p.roles, connectionId, publishedAt, ungranted };
    },

    async unpublish(name) {
      requireAuthor(vault.db());
      const report = getReport(vault.db(), name);
      if (!report) throw new StrongroomError('NOT_FOUND', `No report "${name}" in this cache.`);
      const { warehouse } = await openWarehouse(vault, demos, report.connectionId);
      try {
        await unpublishRemoteReport(warehouse, name).catch((err: unknown) => {
          // Already gone from the warehouse (42704): the local copy goes too.
          if ((err as { code?: string }).code !== '42704') throw reportError(warehouse, err);
        });
      } finally {
        await warehouse.close();
      }
      const db = vault.db();
      db.transaction(() => {
        deleteReport(db, name);
        appendAudit(db, 'report.unpublished', { name, connectionId: report.connectionId });
      })();
      onChanged([name]);
    },

    async capabilities() {
      return { author: canAuthor(vault.db()) };
    },
  };
}
