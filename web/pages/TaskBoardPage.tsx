// The plan's 31 tasks in their six groups: problem, target, measures, leaders and units, deadline
// and state; the sites and road segments linked to each, progress notes, and links made by hand.
// Filters (unit, leader, state) live in the URL so a link answers "what does 市生态环境局 lead?".
import { campaignTime } from '../../domain/days.ts';
import { useMemo, useState, type FormEvent } from 'react';
import type { RoadStatusCode, StatusCode } from '../../domain/statuses.ts';
import { categoryLabel, roadStatusLabel, statusLabel } from '../i18n/code-labels.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/zh.ts';
import { LoadState } from '../components/LoadState.tsx';
import { useAddTaskNote, useLinkTaskSites, useTask, useTasks, type TaskDetailJson, type TaskJson } from '../state/tasks.ts';
import { useSession } from '../state/session.tsx';
import { GuardedButton } from '../components/GuardedButton.tsx';
import { PageFrame } from './PageFrame.tsx';
import { TASK_STATES, type TaskState } from '../../domain/task-states.ts';

export function TaskBoardPage({ params }: { params: URLSearchParams }) {
  const { t } = useI18n();
  const [filters, setFilters] = useState(() => ({ unit: params.get('unit') ?? '', leader: params.get('leader') ?? '', state: params.get('state') ?? '' }));
  const query = Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) as { unit?: string; leader?: string; state?: string };
  const all = useTasks({});
  const shown = useTasks(query);
  const choose = (patch: Partial<typeof filters>) => {
    const next = { ...filters, ...patch };
    setFilters(next);
    const search = new URLSearchParams(window.location.search);
    for (const [key, value] of Object.entries(next))
      if (value) search.set(key, value);
      else search.delete(key);
    window.history.replaceState(null, '', `?${search.toString()}`);
  };
  const units = useMemo(
    () => [...new Set((all.data ?? []).flatMap((task) => [...task.leadUnits, ...task.assistingUnits]))].sort((a, b) => a.localeCompare(b, 'zh')),
    [all.data],
  );
  const leaders = useMemo(() => [...new Set((all.data ?? []).flatMap((task) => task.leaders.map((l) => l.name)))], [all.data]);
  const groups = useMemo(() => {
    const byGroup = new Map<number, { title: string; tasks: TaskJson[] }>();
    for (const task of shown.data ?? []) {
      if (!byGroup.has(task.group)) byGroup.set(task.group, { title: task.groupTitle, tasks: [] });
      byGroup.get(task.group)!.tasks.push(task);
    }
    return [...byGroup.entries()].sort(([a], [b]) => a - b);
  }, [shown.data]);

  return (
    <PageFrame title={t('tbTitle')}>
      <div className="task-board" data-testid="task-board">
        <form className="task-filters" onSubmit={(e) => e.preventDefault()}>
          <FilterSelect
            label={t('tbUnit')}
            all={t('tbAll')}
            value={filters.unit}
            options={units.map((unit) => [unit, unit])}
            onChange={(unit) => choose({ unit })}
            testId="filter-unit"
          />
          <FilterSelect
            label={t('tbLeader')}
            all={t('tbAll')}
            value={filters.leader}
            options={leaders.map((leader) => [leader, leader])}
            onChange={(leader) => choose({ leader })}
            testId="filter-leader"
          />
          <FilterSelect
            label={t('tbState')}
            all={t('tbAll')}
            value={filters.state}
            options={TASK_STATES.map((state) => [state, t(`taskState_${state}` as MessageKey)])}
            onChange={(state) => choose({ state })}
            testId="filter-state"
          />
          <span className="muted" data-testid="task-count">
            {shown.data ? t('tbCount', { n: shown.data.length }) : ''}
          </span>
        </form>
        <LoadState loading={shown.loading} error={shown.error ?? all.error} />
        {shown.data?.length === 0 && <p className="muted">{t('tbNoMatch')}</p>}
        {groups.map(([group, { title, tasks }]) => (
          <section key={group} className="task-group">
            <h2>{title}</h2>
            {tasks.map((task) => (
              <TaskCard key={task.number} task={task} />
            ))}
          </section>
        ))}
      </div>
    </PageFrame>
  );
}

/** A labelled drop-down of [value, text] options with a first "all" option. */
function FilterSelect({
  label,
  all,
  value,
  options,
  onChange,
  testId,
}: {
  label: string;
  all: string;
  value: string;
  options: readonly [string, string][];
  onChange: (value: string) => void;
  testId: string;
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        <option value="">{all}</option>
        {options.map(([option, text]) => (
          <option key={option} value={option}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

function TaskCard({ task }: { task: TaskJson }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  // The server says cannot_judge when the date is past and nothing is linked: the note says why.
  const unmeasured = task.state === 'cannot_judge';
  return (
    <article className="task-card" data-testid={`task-${task.number}`}>
      <header>
        <span className="task-number">{t('tbTask', { n: task.number })}</span>
        <span className={`task-state ${task.state}`} data-testid="task-state">
          {t(`taskState_${task.state as TaskState}` as MessageKey)}
        </span>
        <span className="task-deadline">
          {t('tbDeadline')}：{task.deadline.text}
        </span>
        {unmeasured && (
          <span className="muted" data-testid="task-unmeasured">
            {t('tbUnmeasured')}
          </span>
        )}
      </header>
      <p>
        <strong>{t('tbProblem')}：</strong>
        {task.problem}
      </p>
      <p>
        <strong>{t('tbTarget')}：</strong>
        {task.target}
      </p>
      <details>
        <summary>
          {t('tbMeasures')}（{task.measures.length}）
        </summary>
        <ol>
          {task.measures.map((measure, i) => (
            <li key={i}>{measure}</li>
          ))}
        </ol>
      </details>
      <dl className="task-people">
        <dt>{t('tbLeaders')}</dt>
        <dd data-testid="task-leaders">{task.leaders.map((l) => `${l.name}（${l.title}）`).join('、') || '—'}</dd>
        <dt>{t('tbLeadUnits')}</dt>
        <dd data-testid="task-lead-units">{task.leadUnits.join('、') || '—'}</dd>
        {task.assistingUnits.length > 0 && (
          <>
            <dt>{t('tbAssistingUnits')}</dt>
            <dd>{task.assistingUnits.join('、')}</dd>
          </>
        )}
      </dl>
      <p className="muted" data-testid="task-progress">
        {t('tbProgress', { sites: task.progress.sites, open: task.progress.open, closed: task.progress.closed, relapsed: task.progress.relapsed })}
      </p>
      <button type="button" className="small" aria-expanded={open} onClick={() => setOpen((o) => !o)} data-testid="task-toggle">
        {t('tbDetails')}
      </button>
      {open && <TaskDetail number={task.number} />}
    </article>
  );
}

function TaskDetail({ number }: { number: number }) {
  const { t, lang } = useI18n();
  const { deny } = useSession();
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const [siteId, setSiteId] = useState('');
  const detail = useTask(number);
  const linkSites = useLinkTaskSites(number);
  const addTaskNote = useAddTaskNote(number);
  const data: TaskDetailJson | null = detail.data;
  const manual = data?.sites.filter((s) => s.link === 'manual').map((s) => s.id) ?? [];
  const run = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      return true;
    } catch (caught) {
      setError(caught);
      return false;
    }
  };
  const setLinks = (siteIds: number[]) => run(() => linkSites(siteIds));
  const addNote = async (e: FormEvent) => {
    e.preventDefault();
    if (!note.trim()) return;
    if (await run(() => addTaskNote(note.trim()))) setNote('');
  };
  const link = async (e: FormEvent) => {
    e.preventDefault();
    const id = Number(siteId);
    if (Number.isSafeInteger(id) && id > 0 && (await setLinks([...new Set([...manual, id])]))) setSiteId('');
  };

  return (
    <div className="task-detail" data-testid="task-detail">
      <LoadState loading={detail.loading} error={detail.error ?? error} />
      {data && (
        <>
          <h3>{t('tbSites')}</h3>
          {data.sites.length === 0 && <p className="muted">{t('tbNoSites')}</p>}
          <ul className="plain-list linked-sites">
            {data.sites.map((site) => (
              <li key={site.id}>
                <a href={`/?site=${site.id}${lang === 'en' ? '&lang=en' : ''}`}>
                  {site.id} {site.name}
                </a>{' '}
                <span className="muted">
                  {statusLabel(site.status as StatusCode, lang)} · {categoryLabel(site.category, lang)} ·{' '}
                  {site.link === 'manual' ? t('tbLinkManual') : t('tbLinkCategory')}
                </span>
                {site.source === 'demo' && <span className="tag demo">{t('demoBadge')}</span>}
                {site.link === 'manual' && (
                  <GuardedButton className="small" denied={deny('administer')} onClick={() => void setLinks(manual.filter((id) => id !== site.id))}>
                    {t('tbUnlink')}
                  </GuardedButton>
                )}
              </li>
            ))}
          </ul>
          <form className="inline-form" onSubmit={(e) => void link(e)}>
            <label>
              {t('tbLinkSite')}{' '}
              <input
                inputMode="numeric"
                aria-label={t('tbLinkSiteId')}
                placeholder={t('tbLinkSiteId')}
                value={siteId}
                onChange={(e) => setSiteId(e.target.value)}
              />
            </label>
            <GuardedButton type="submit" className="small" denied={deny('administer')}>
              {t('tbLink')}
            </GuardedButton>
          </form>
          {data.roads.length > 0 && (
            <>
              <h3>{t('tbRoads')}</h3>
              <ul className="plain-list">
                {data.roads.map((road) => (
                  <li key={road.id}>
                    {road.roadName} <span className="muted">{roadStatusLabel(road.status as RoadStatusCode, lang)}</span>
                    {road.source === 'demo' && <span className="tag demo">{t('demoBadge')}</span>}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h3>{t('tbNotes')}</h3>
          {data.notes.length === 0 && <p className="muted">{t('tbNoNotes')}</p>}
          <ul className="plain-list notes" data-testid="task-notes">
            {data.notes.map((n) => (
              <li key={n.id}>
                <span className="muted">
                  {campaignTime(n.createdAt, { seconds: false })} · {n.author}
                </span>
                <p>{n.text}</p>
              </li>
            ))}
          </ul>
          <form className="note-form" onSubmit={(e) => void addNote(e)}>
            <textarea
              aria-label={t('tbNoteText')}
              placeholder={t('tbNoteText')}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              rows={2}
              maxLength={4000}
            />
            <GuardedButton type="submit" className="small" denied={deny('recordField')}>
              {t('tbAddNote')}
            </GuardedButton>
          </form>
        </>
      )}
    </div>
  );
}
