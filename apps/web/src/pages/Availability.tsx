import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api-clients';
import { ok, problemOf } from '../api/client';
import type { Supporter, WeeklyRule } from '../api/types';
import { ErrorSummary, Select, TextInput, problemErrors, type ErrorItem } from '../components/forms';
import { Loading, Notice, PageHeading } from '../components/page';
import { useLoad } from '../hooks';
import { Link } from '../router';
import { WEEKDAY_NAMES, isWallClock, tidyTime } from '../time';

interface Row {
  key: number;
  weekday: string;
  start: string;
  end: string;
}

let nextKey = 1;
const toRow = (r: WeeklyRule): Row => ({ key: nextKey++, weekday: String(r.weekday), start: r.start, end: r.end });

export function AvailabilityPage({ supporterId, asAdmin }: { supporterId: string; asAdmin?: boolean }) {
  const supporter = useLoad(
    () => ok(api.GET('/api/v1/supporters/{id}', { params: { path: { id: supporterId } } })),
    [supporterId],
  );
  const rules = useLoad(
    () =>
      ok(api.GET('/api/v1/supporters/{id}/availability', { params: { path: { id: supporterId } } })).then(
        (r) => r.weekly,
      ),
    [supporterId],
  );
  const policies = useLoad(() => ok(api.GET('/api/v1/policies')), []);
  if (!supporterId)
    return <p className="body">Your account is not linked to a supporter. Ask an administrator to link it.</p>;
  const error = supporter.error ?? rules.error;
  if (error) return <ErrorSummary errors={[{ text: error.detail ?? 'The availability could not be loaded.' }]} />;
  if (!supporter.data || !rules.data) return <Loading what="Loading availability" />;
  const sh = policies.data?.sociableHours;
  return (
    <AvailabilityForm
      supporter={supporter.data}
      initial={rules.data}
      asAdmin={asAdmin}
      sociable={
        sh
          ? `${sh.start}–${sh.end} on ${sh.weekdays.length === 7 ? 'every day' : sh.weekdays.map((d) => WEEKDAY_NAMES[d - 1].slice(0, 3)).join(', ')}`
          : undefined
      }
    />
  );
}

function AvailabilityForm({
  supporter,
  initial,
  asAdmin,
  sociable,
}: {
  supporter: Supporter;
  initial: WeeklyRule[];
  asAdmin?: boolean;
  sociable?: string;
}) {
  const [rows, setRows] = useState<Row[]>(() => initial.map(toRow));
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [focusRow, setFocusRow] = useState<number | null>(null);

  useEffect(() => {
    if (focusRow !== null) document.getElementById(`rule-${focusRow}-weekday`)?.focus();
  }, [focusRow]);

  const update = (key: number, patch: Partial<Row>) => {
    setSaved(false);
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  };

  function fail(items: ErrorItem[], perRow: Record<string, string>) {
    setErrors(items);
    setRowErrors(perRow);
    setSaved(false);
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    const items: ErrorItem[] = [];
    const perRow: Record<string, string> = {};
    rows.forEach((r, i) => {
      const id = `rule-${i}`;
      let msg = '';
      const badStart = !isWallClock(r.start);
      if (!r.start) msg = `Window ${i + 1}: enter a start time`;
      else if (badStart) msg = `Window ${i + 1}: enter the start time on the 24-hour clock, like 18:00`;
      else if (!r.end) msg = `Window ${i + 1}: enter an end time`;
      else if (!isWallClock(r.end, true)) msg = `Window ${i + 1}: enter the end time on the 24-hour clock, like 20:00`;
      else if (r.end <= r.start) msg = `Window ${i + 1}: the end time must be after the start time`;
      if (msg) {
        items.push({ id: `${id}-${!r.start || badStart ? 'start' : 'end'}`, text: msg });
        perRow[id] = msg;
      }
    });
    if (items.length) return fail(items, perRow);
    setBusy(true);
    try {
      const res = await ok(
        api.PUT('/api/v1/supporters/{id}/availability', {
          params: { path: { id: supporter.id } },
          body: {
            weekly: rows.map((r) => ({ weekday: Number(r.weekday), start: tidyTime(r.start), end: tidyTime(r.end) })),
          },
        }),
      );
      setRows(res.weekly.map(toRow));
      setErrors([]);
      setRowErrors({});
      setSaved(true);
    } catch (err) {
      const p = problemOf(err);
      // "weekly[0]" or "weekly[0].end" → the row's control
      const fieldId = (f: string) => {
        const m = /^weekly\[(\d+)\](?:\.(\w+))?/.exec(f);
        if (!m) return undefined;
        return `rule-${m[1]}-${m[2] === 'end' ? 'end' : m[2] === 'weekday' ? 'weekday' : 'start'}`;
      };
      const fieldLabel = (f: string) => {
        const m = /^weekly\[(\d+)\](?:\.(\w+))?/.exec(f);
        return m
          ? `Window ${Number(m[1]) + 1}${m[2] ? ` ${m[2] === 'end' ? 'end time' : m[2] === 'start' ? 'start time' : m[2]}` : ''}`
          : f;
      };
      const items2 = problemErrors(p, fieldId, fieldLabel);
      const per: Record<string, string> = {};
      for (const fe of p.errors ?? []) {
        const m = /^weekly\[(\d+)\]/.exec(fe.field);
        if (m)
          per[`rule-${m[1]}`] =
            p.code === 'outside_sociable_hours'
              ? `Window ${Number(m[1]) + 1} is outside the sociable hours`
              : `${fieldLabel(fe.field)}: ${fe.message}`;
      }
      fail(items2, per);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <ErrorSummary errors={errors} />
      {saved && (
        <Notice kind="success" title="Availability saved">
          <p className="body">{asAdmin ? 'The new times apply from now.' : 'Your new times apply from now.'}</p>
        </Notice>
      )}
      <PageHeading
        caption={asAdmin ? supporter.displayName : undefined}
        title={asAdmin ? `Availability of ${supporter.displayName}` : 'Availability'}
      >
        {asAdmin ? 'Availability' : 'Your weekly availability'}
      </PageHeading>
      <p className="body">
        The times each week when sessions can be booked, in <strong>{supporter.timeZone}</strong>
        {asAdmin ? '' : ' (your time zone)'}, on the 24-hour clock (like 18:00). They follow the clocks when they
        change.
      </p>
      {supporter.kind === 'peer' && sociable && (
        <p className="body">
          Peer support sessions must lie within the sociable hours: {sociable}, in your time and the caller's.
        </p>
      )}
      <form onSubmit={save} noValidate>
        {rows.length === 0 && <p className="body">No availability yet: no sessions can be booked.</p>}
        {rows.map((r, i) => {
          const id = `rule-${i}`;
          const err = rowErrors[id];
          return (
            <fieldset
              key={r.key}
              className={`fieldset rule-row${err ? ' form-group--error' : ''}`}
              aria-describedby={err ? `${id}-error` : undefined}
            >
              <legend className="fieldset__legend">Window {i + 1}</legend>
              {err && (
                <p className="error-message" id={`${id}-error`}>
                  <span className="visually-hidden">Error:</span> {err}
                </p>
              )}
              <div className="rule-row__fields">
                <Select
                  id={`${id}-weekday`}
                  label="Day"
                  value={r.weekday}
                  onChange={(e) => update(r.key, { weekday: e.target.value })}
                >
                  {WEEKDAY_NAMES.map((n, d) => (
                    <option key={n} value={String(d + 1)}>
                      {n}
                    </option>
                  ))}
                </Select>
                <TextInput
                  id={`${id}-start`}
                  label="From"
                  inputMode="numeric"
                  autoComplete="off"
                  spellCheck={false}
                  width="short"
                  value={r.start}
                  onChange={(e) => update(r.key, { start: e.target.value })}
                  onBlur={(e) => update(r.key, { start: tidyTime(e.target.value) })}
                  aria-invalid={err ? true : undefined}
                />
                <TextInput
                  id={`${id}-end`}
                  label="To"
                  inputMode="numeric"
                  autoComplete="off"
                  spellCheck={false}
                  width="short"
                  value={r.end}
                  onChange={(e) => update(r.key, { end: e.target.value })}
                  onBlur={(e) => update(r.key, { end: tidyTime(e.target.value) })}
                  aria-invalid={err ? true : undefined}
                />
                <button
                  type="button"
                  className="button button--secondary button--small rule-row__remove"
                  onClick={() => {
                    setSaved(false);
                    setRows((rs) => rs.filter((x) => x.key !== r.key));
                  }}
                >
                  Remove<span className="visually-hidden"> window {i + 1}</span>
                </button>
              </div>
            </fieldset>
          );
        })}
        <div className="button-group">
          <button
            type="button"
            className="button button--secondary"
            onClick={() => {
              setSaved(false);
              setRows((rs) => [...rs, { key: nextKey++, weekday: '1', start: '18:00', end: '20:00' }]);
              setFocusRow(rows.length);
            }}
          >
            Add a window
          </button>
        </div>
        <div className="button-group">
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Saving…' : 'Save availability'}
          </button>
          <Link href={asAdmin ? `/admin/supporters/${supporter.id}` : '/my-week'} className="link">
            {asAdmin ? 'Back to the supporter' : 'Back to my week'}
          </Link>
        </div>
      </form>
    </>
  );
}
