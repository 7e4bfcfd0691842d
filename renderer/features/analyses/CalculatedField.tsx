import { useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { EXPRESSION_FUNCTIONS } from '../../../shared/analysis/expr/check.js';
import { useApp } from '../../store/context.js';
import { checkCalculated } from '../../store/slices/builder/model.js';
import { selectDoc, selectFields } from '../../store/slices/builder/selectors.js';
import { Dialog } from '../../components/Dialog.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** "New calculated field": a name and an expression, checked as it is typed, with the function reference. */
export function CalculatedFieldButton() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const loaded = useApp((s) => s.builderColumns !== null);
  return (
    <>
      <button type="button" className="ghost small-button" disabled={!loaded} onClick={() => setOpen(true)}>
        <span aria-hidden="true">+</span> {t('analyses.calc.new')}
      </button>
      {open && <CalculatedFieldDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function CalculatedFieldDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const columns = useApp((s) => s.builderColumns) ?? [];
  const calculated = useApp((s) => selectDoc(s).extras.calculated);
  const fields = useApp(selectFields);
  const edit = useApp((s) => s.editBuilder);
  const [name, setName] = useState('');
  const [expr, setExpr] = useState('');
  const [filter, setFilter] = useState('');
  const nameId = useId();
  const exprId = useId();
  const problemId = useId();

  const taken = fields.some((f) => f.name === name);
  const nameProblem = name && !NAME.test(name) ? t('analyses.calc.badName') : taken ? t('analyses.calc.taken', { name }) : null;
  const check = useMemo(() => (expr.trim() ? checkCalculated(columns, calculated, expr) : null), [columns, calculated, expr]);
  const exprProblem = check && !check.ok ? (check.message === null ? t('analyses.calc.alwaysEmpty') : check.position !== null ? t('analyses.calc.at', { message: check.message, position: check.position + 1 }) : check.message) : null;
  const valid = name !== '' && !nameProblem && check?.ok === true;
  const functions = EXPRESSION_FUNCTIONS.filter((f) => !filter || f.name.toLowerCase().includes(filter.toLowerCase()));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!valid) return;
    edit((doc) => ({ ...doc, extras: { ...doc.extras, calculated: [...(doc.extras.calculated ?? []), { name, expr }] } }));
    onClose();
  };

  return (
    <Dialog title={t('analyses.calc.title')} onClose={onClose} wide>
      <form className="stack" onSubmit={submit}>
        <div className="field">
          <label htmlFor={nameId}>{t('analyses.calc.name')}</label>
          <input id={nameId} data-autofocus value={name} onChange={(e) => setName(e.target.value)} aria-invalid={nameProblem ? true : undefined} autoComplete="off" />
          {nameProblem && <span className="error-text small">{nameProblem}</span>}
        </div>
        <div className="field">
          <label htmlFor={exprId}>{t('analyses.calc.expression')}</label>
          <textarea id={exprId} rows={4} value={expr} onChange={(e) => setExpr(e.target.value)} aria-invalid={exprProblem ? true : undefined} aria-describedby={problemId} spellCheck={false} />
          <span id={problemId} className={exprProblem ? 'error-text small' : 'muted small'} role="status">
            {exprProblem ?? (check?.ok ? t('analyses.calc.ok', { type: t(`analyses.types.${check.type}`) }) : t('analyses.calc.hint'))}
          </span>
        </div>
        <details>
          <summary>{t('analyses.calc.functions')}</summary>
          <input type="search" aria-label={t('analyses.calc.searchFunctions')} placeholder={t('analyses.calc.searchFunctions')} value={filter} onChange={(e) => setFilter(e.target.value)} />
          <ul className="function-list">
            {functions.map((f) => (
              <li key={f.name}>
                <button type="button" className="link" onClick={() => setExpr((x) => `${x}${x && !x.endsWith(' ') ? ' ' : ''}${f.name}(`)}>
                  <code>{f.signature}</code>
                </button>
                {/* Descriptions come from the expression language's reference, which is written in English. */}
                <span className="muted small" lang="en">
                  {f.description}
                </span>
              </li>
            ))}
          </ul>
        </details>
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onClose}>
            {t('analyses.common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={!valid}>
            {t('analyses.calc.add')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
