// Importar: a CSV file of customers, invoices, credit notes or payments
// sent as the raw body (text/csv) of POST /api/v1/imports/{entity}. A dry
// run first: every bad line listed (problem code 1009: "line N: field");
// then the import for real, all-or-nothing, with its counts. The upload
// goes through XMLHttpRequest so big files show their progress.
import { useState, type FormEvent } from 'react';
import { csrf, problemText, type Schemas } from '../../shared/api';
import { formatNumber } from '../../shared/format';
import { useI18n, type Lang } from '../../shared/i18n';
import { ErrorBox } from '../components/Status';
import { useSession } from '../session';
import { formatBytes, importLineErrors, type LineError } from './workLogic';

type Entity = 'customers' | 'invoices' | 'credit-notes' | 'payments';
type Result = Schemas['ImportResult'];
// The server lists at most this many of a file's errors (its detail counts them all).
const ERRORS_SHOWN_MAX = 1000;
const ENTITIES: Entity[] = ['customers', 'invoices', 'credit-notes', 'payments'];

interface Options {
  entity: Entity;
  dateFormat: 'iso' | 'dmy';
  delimiter: '' | ',' | ';';
  decimalComma: boolean;
}

interface Answer {
  status: number;
  body: unknown;
}

// The file as the request body; progress reported as the bytes go out.
function upload(file: File, options: Options, dryRun: boolean, lang: Lang, onProgress: (loaded: number, total: number) => void, onSent: () => void): Promise<Answer> {
  const query = new URLSearchParams();
  if (dryRun) query.set('dry_run', 'true');
  if (options.dateFormat !== 'iso') query.set('date_format', options.dateFormat);
  if (options.decimalComma) query.set('decimal_comma', 'true');
  if (options.delimiter) query.set('delimiter', options.delimiter);
  const suffix = query.toString() ? `?${query}` : '';
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/imports/${options.entity}${suffix}`);
    xhr.setRequestHeader('Content-Type', 'text/csv');
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('Accept-Language', lang);
    xhr.setRequestHeader('Idempotency-Key', crypto.randomUUID());
    const token = csrf.get();
    if (token) xhr.setRequestHeader('X-CSRF-Token', token);
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.upload.onload = onSent;
    xhr.onload = () => {
      let body: unknown = xhr.responseText;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: the text itself
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error('network'));
    xhr.send(file);
  });
}

function Counts({ result }: { result: Result }) {
  const { t, lang } = useI18n();
  const rows: [string, number][] = [
    ['import.rows', result.rows],
    ['import.created', result.created],
    ['import.updated', result.updated],
    ['import.unchanged', result.unchanged],
  ];
  if (result.allocations_created || result.allocations_released) {
    rows.push(['import.allocationsCreated', result.allocations_created], ['import.allocationsReleased', result.allocations_released]);
  }
  return (
    <dl className="im-counts" data-testid={result.dry_run ? 'import-dry-run' : 'import-result'}>
      {rows.map(([key, value]) => (
        <div key={key}>
          <dt>{t(key)}</dt>
          <dd data-count={key.slice('import.'.length)}>{formatNumber(value, lang)}</dd>
        </div>
      ))}
    </dl>
  );
}

function LineErrors({ errors, detail }: { errors: LineError[]; detail: string }) {
  const { t, lang } = useI18n();
  return (
    <section className="card" aria-labelledby="im-errors">
      <div className="error-box" role="alert">
        <strong id="im-errors">{detail}</strong> — {t('import.rejected')}
      </div>
      {errors.length >= ERRORS_SHOWN_MAX && <p className="muted small">{t('import.errorsShown', { shown: formatNumber(errors.length, lang) })}</p>}
      <div className="im-errors-scroll">
        <table className="table compact" data-testid="import-errors">
          <thead>
            <tr>
              <th className="num">{t('import.line')}</th>
              <th>{t('import.field')}</th>
              <th>{t('import.message')}</th>
            </tr>
          </thead>
          <tbody>
            {errors.map((error, index) => (
              <tr key={index} data-line={error.line ?? 'file'}>
                <td className="num">{error.line === null ? t('import.wholeFile') : formatNumber(error.line, lang)}</td>
                <td><code>{error.field || '—'}</code></td>
                <td>{error.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function Import() {
  const { t, lang } = useI18n();
  const session = useSession();
  const [options, setOptionsState] = useState<Options>({ entity: 'customers', dateFormat: 'iso', delimiter: '', decimalComma: false });
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<'idle' | 'uploading' | 'processing'>('idle');
  const [progress, setProgress] = useState({ loaded: 0, total: 0 });
  const [dryRun, setDryRun] = useState<Result | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [lineErrors, setLineErrors] = useState<{ errors: LineError[]; detail: string } | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [inputKey, setInputKey] = useState(0);

  if (!session.can('manager')) return <p className="card muted">{t('import.forbidden')}</p>;

  function reset() {
    setDryRun(null);
    setResult(null);
    setLineErrors(null);
    setProblem(null);
  }
  function setOptions(next: Partial<Options>) {
    setOptionsState({ ...options, ...next });
    reset();
  }

  async function send(real: boolean) {
    if (!file) return;
    reset();
    setPhase('uploading');
    setProgress({ loaded: 0, total: file.size });
    try {
      const answer = await upload(
        file,
        options,
        !real,
        lang,
        (loaded, total) => setProgress({ loaded, total }),
        () => setPhase('processing'),
      );
      if (answer.status === 200) {
        const body = answer.body as Result;
        if (real) setResult(body);
        else setDryRun(body);
      } else {
        const errors = importLineErrors(answer.body);
        if (errors) setLineErrors({ errors, detail: (answer.body as { detail?: string }).detail ?? '' });
        else setProblem(typeof answer.body === 'object' ? answer.body : { detail: `${answer.status} ${problemText(answer.body)}` });
      }
    } catch {
      setProblem({ detail: t('import.network') });
    } finally {
      setPhase('idle');
    }
  }

  function validate(event: FormEvent) {
    event.preventDefault();
    void send(false);
  }

  const busy = phase !== 'idle';
  const size = file ? formatBytes(file.size, lang) : '';
  return (
    <div className="import">
      <div className="page-head">
        <div>
          <h1>{t('import.title')}</h1>
          <p className="muted">{t('import.subtitle')}</p>
        </div>
      </div>
      <form className="card im-form" onSubmit={validate}>
        <label>
          {t('import.entity')}
          <select value={options.entity} onChange={(e) => setOptions({ entity: e.target.value as Entity })} name="entity" disabled={busy}>
            {ENTITIES.map((entity) => (
              <option key={entity} value={entity}>{t(`import.entity.${entity}`)}</option>
            ))}
          </select>
        </label>
        <label>
          {t('import.file')}
          <input
            key={inputKey}
            type="file"
            accept=".csv,text/csv,text/plain"
            name="file"
            disabled={busy}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              reset();
            }}
            data-testid="import-file"
          />
          {file && <span className="muted small" data-testid="import-file-info">{t('import.fileInfo', { name: file.name, size })}</span>}
        </label>
        <div className="im-options">
          <label>
            {t('import.dateFormat')}
            <select value={options.dateFormat} onChange={(e) => setOptions({ dateFormat: e.target.value as Options['dateFormat'] })} name="date_format" disabled={busy}>
              <option value="iso">{t('import.dateFormat.iso')}</option>
              <option value="dmy">{t('import.dateFormat.dmy')}</option>
            </select>
          </label>
          <label>
            {t('import.delimiter')}
            <select value={options.delimiter} onChange={(e) => setOptions({ delimiter: e.target.value as Options['delimiter'] })} name="delimiter" disabled={busy}>
              <option value="">{t('import.delimiter.auto')}</option>
              <option value=",">{t('import.delimiter.comma')}</option>
              <option value=";">{t('import.delimiter.semicolon')}</option>
            </select>
          </label>
          <label className="inline">
            <input type="checkbox" checked={options.decimalComma} onChange={(e) => setOptions({ decimalComma: e.target.checked })} name="decimal_comma" disabled={busy} />
            {t('import.decimalComma')}
          </label>
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={!file || busy} data-testid="import-validate">
            {t('import.validate')}
          </button>
        </div>
        {busy && (
          <div className="im-progress" role="status" aria-live="polite" data-testid="import-progress">
            {phase === 'uploading' ? (
              <>
                <progress max={progress.total || 1} value={progress.loaded} aria-label={t('import.progress')} />
                <span>{t('import.uploading', { done: formatBytes(progress.loaded, lang), total: formatBytes(progress.total, lang) })}</span>
              </>
            ) : (
              <>
                <progress aria-label={t('import.progress')} />
                <span>{t('import.processing', { size })}</span>
              </>
            )}
          </div>
        )}
      </form>
      {problem ? <ErrorBox error={problem} /> : null}
      {lineErrors && <LineErrors errors={lineErrors.errors} detail={lineErrors.detail} />}
      {dryRun && !result && (
        <section className="card">
          <div className="notice" role="status">{t('import.dryRunOk')}</div>
          <Counts result={dryRun} />
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={() => void send(true)} data-testid="import-confirm">
              {t('import.confirm')}
            </button>
          </div>
        </section>
      )}
      {result && (
        <section className="card">
          <div className="notice" role="status">{t('import.done')}</div>
          <Counts result={result} />
          <div className="actions">
            <button
              type="button"
              onClick={() => {
                setFile(null);
                setInputKey(inputKey + 1);
                reset();
              }}
            >
              {t('import.again')}
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
