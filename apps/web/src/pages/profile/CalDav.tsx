import { useRef, useState, type FormEvent } from 'react';
import { api } from '../../api-clients';
import { ok, problemOf, type Schemas } from '../../api/client';
import type { Supporter } from '../../api/types';
import { TextInput, errorFor, problemErrors, type ErrorItem } from '../../components/forms';
import { Loading, Notice } from '../../components/page';
import { useLoad } from '../../hooks';
import { formatWhen } from '../../time';
import type { Outcome } from '../Profile';

type CalendarStatus = Schemas['CalendarStatusView'];

/** The CalDAV connection: connect (tested by the server first), then its status, read now, disconnect. */
export function CalDav({ supporter, errors, report, done }: { supporter: Supporter; errors: ErrorItem[] } & Outcome) {
  const id = supporter.id;
  const status = useLoad(() => ok(api.GET('/api/v1/supporters/{id}/calendar', { params: { path: { id } } })), [id]);
  const [url, setUrl] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [notConfigured, setNotConfigured] = useState(false);
  // connecting or disconnecting swaps the form for the status (or back): the button that had focus is gone
  const heading = useRef<HTMLHeadingElement>(null);

  function fail(err: unknown) {
    const p = problemOf(err);
    if (p.code === 'not_configured') {
      setNotConfigured(true);
      report([{ text: 'Calendar connections are not set up on this server. Ask an administrator.' }]);
    } else
      report(
        problemErrors(
          p,
          (f) => ({ url: 'caldav-url', username: 'caldav-username', password: 'caldav-password' })[f],
          (f) => ({ url: 'Calendar address', username: 'User name', password: 'App password' })[f] ?? f,
        ),
      );
  }

  async function connect(e: FormEvent) {
    e.preventDefault();
    const errs: ErrorItem[] = [];
    if (!/^https?:\/\/\S+/i.test(url.trim()))
      errs.push({ id: 'caldav-url', text: 'Enter the calendar address, starting with https://' });
    if (!username.trim()) errs.push({ id: 'caldav-username', text: 'Enter the user name' });
    if (!password) errs.push({ id: 'caldav-password', text: 'Enter the app password' });
    if (errs.length) return report(errs);
    setBusy(true);
    try {
      // the answers are the new status: shown with the message, never a stale copy beside it
      const connected = await ok(
        api.PUT('/api/v1/supporters/{id}/calendar', {
          params: { path: { id } },
          body: { url: url.trim(), username: username.trim(), password },
        }),
      );
      setPassword('');
      status.setData(connected);
      done('Your calendar is connected.');
      heading.current?.focus();
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  async function syncNow() {
    setBusy(true);
    try {
      const s = await ok(api.POST('/api/v1/supporters/{id}/calendar/sync', { params: { path: { id } } }));
      if (s.lastError) report([{ text: `The calendar could not be read: ${s.lastError.text}` }]);
      else done('Your calendar has been read.');
      status.setData(s);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  async function disconnect() {
    setBusy(true);
    try {
      await ok(api.DELETE('/api/v1/supporters/{id}/calendar', { params: { path: { id } } }));
      done('Your calendar is disconnected. Its busy time no longer counts.');
      heading.current?.focus();
      status.reload();
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  const s: CalendarStatus | undefined = status.data;
  return (
    <section aria-labelledby="caldav-title">
      <h2 className="heading-m" id="caldav-title" tabIndex={-1} ref={heading}>
        Your own calendar (CalDAV)
      </h2>
      <p className="body">
        Busy time in your calendar (a rota, clinics) is not offered to callers, and your sessions are written into it.
      </p>
      {notConfigured && (
        <Notice kind="warning">Calendar connections are not set up on this server. Ask an administrator.</Notice>
      )}
      {status.error && <p className="body">The calendar connection could not be loaded.</p>}
      {!s && !status.error && <Loading />}
      {s?.connected && (
        <div data-testid="caldav-status">
          <dl className="summary-list">
            <div className="summary-list__row">
              <dt>Status</dt>
              <dd>Connected{s.connectedAt ? ` since ${formatWhen(s.connectedAt, supporter.timeZone)}` : ''}</dd>
            </div>
            <div className="summary-list__row">
              <dt>Last read</dt>
              <dd>{s.lastSyncAt ? formatWhen(s.lastSyncAt, supporter.timeZone) : 'Not read yet'}</dd>
            </div>
            <div className="summary-list__row">
              <dt>Busy times held</dt>
              <dd>{s.busyBlocks}</dd>
            </div>
            {s.lastError && (
              <div className="summary-list__row">
                <dt>Last problem</dt>
                <dd data-testid="caldav-error">{s.lastError.text}</dd>
              </div>
            )}
          </dl>
          {s.stale && (
            <Notice kind="warning">
              Your calendar has not been read for a while, so your busy time may be out of date.
            </Notice>
          )}
          <p className="body">
            <button type="button" className="button button--secondary" onClick={syncNow} disabled={busy}>
              Read my calendar now
            </button>{' '}
            <button type="button" className="button button--warning" onClick={disconnect} disabled={busy}>
              Disconnect
            </button>
          </p>
        </div>
      )}
      {s && !s.connected && (
        <form onSubmit={connect} noValidate aria-labelledby="caldav-title">
          <TextInput
            id="caldav-url"
            label="Calendar address"
            hint="The CalDAV address of one calendar, from your calendar app's settings"
            type="url"
            inputMode="url"
            spellCheck={false}
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            error={errorFor(errors, 'caldav-url')}
          />
          <TextInput
            id="caldav-username"
            label="User name"
            autoComplete="off"
            spellCheck={false}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            error={errorFor(errors, 'caldav-username')}
          />
          <TextInput
            id="caldav-password"
            label="App password"
            hint="Make an app password for this in your calendar account; it is stored encrypted and never shown again."
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={errorFor(errors, 'caldav-password')}
          />
          <button type="submit" className="button" disabled={busy}>
            Test and connect
          </button>
        </form>
      )}
    </section>
  );
}
