import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisSpec } from '../../../shared/analysis/spec.js';
import { BUILT_FORMATS, type BuiltFormat, type ExportPolicy } from '../../../shared/contracts/index.js';
import type { ErrorInfo } from '../../../shared/errors.js';
import { columnLabelWords } from '../../components/chart/useColumnLabels.js';
import { downloadBase64 } from '../../components/download.js';
import { useApi, useApp } from '../../store/context.js';
import { PopupMenu } from '../analyses/Menu.js';

type T = (key: string, options?: Record<string, string>) => string;

/**
 * The builder's Export menu: CSV, XLSX and a PowerPoint deck of the analysis in hand. The formats the
 * extract's export policy forbids are disabled with the reason; the worker refuses them again and
 * audits what it builds.
 */
export function ExportMenu({ spec, title }: { spec: AnalysisSpec | null; title: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const locale = useApp((s) => s.locale);
  const [policy, setPolicy] = useState<ExportPolicy | null>(null);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<BuiltFormat | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const opener = useRef<HTMLButtonElement>(null);

  const toggle = async () => {
    if (open) return setOpen(false);
    if (!spec) return;
    setError(null);
    try {
      setPolicy(await api.export.policy({ kind: 'spec', spec, title }));
      setOpen(true);
    } catch (err) {
      setError(err as ErrorInfo);
    }
  };

  const build = async (format: BuiltFormat) => {
    if (!spec) return;
    setOpen(false);
    setBusy(format);
    setDone(null);
    setError(null);
    try {
      const file = await api.export.build({ kind: 'spec', spec, title }, { format, locale, words: columnLabelWords(t as T) });
      downloadBase64(file.filename, file.mimeType, file.base64);
      setDone(t('exports.done', { filename: file.filename }));
    } catch (err) {
      setError(err as ErrorInfo);
    } finally {
      setBusy(null);
    }
  };

  const items = BUILT_FORMATS.map((format) => {
    const rule = policy?.formats.find((f) => f.format === format);
    const name = t(`exports.formats.${format}`);
    return {
      key: format,
      label: rule && !rule.allowed ? t('exports.forbidden', { name, reason: rule.reason ?? '' }) : name,
      disabled: !rule?.allowed,
      onSelect: () => void build(format),
    };
  });

  return (
    <span className="export-menu">
      <button ref={opener} type="button" className="ghost" aria-haspopup="menu" aria-expanded={open} disabled={!spec || busy !== null} onClick={() => void toggle()}>
        {busy ? t('exports.building', { format: busy.toUpperCase() }) : t('exports.button')}
      </button>
      {open && <PopupMenu label={t('exports.menu')} items={items} onClose={() => setOpen(false)} opener={opener} />}
      <span className="sr-only" role="status">
        {done ?? ''}
      </span>
      {error && (
        <span className="error small" role="alert">
          {t('exports.failed', { message: error.message })}
        </span>
      )}
    </span>
  );
}
