import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api-clients';
import { ok, problemOf, type Schemas } from '../api/client';
import type { Supporter } from '../api/types';
import { Checkbox, ErrorSummary, TextInput, errorFor, problemErrors, type ErrorItem } from '../components/forms';
import { Loading, Notice, PageHeading } from '../components/page';
import { CalDav } from './profile/CalDav';
import { useLoad } from '../hooks';

type FeedLink = Schemas['CalendarFeedLinkView'];

/** The supporter's own settings: e-mails, meeting link, calendar feed and CalDAV connection. */
export function ProfilePage({ supporterId, asAdmin }: { supporterId: string; asAdmin?: boolean }) {
  const supporter = useLoad(
    () => ok(api.GET('/api/v1/supporters/{id}', { params: { path: { id: supporterId } } })),
    [supporterId],
  );
  if (!supporterId)
    return <p className="body">Your account is not linked to a supporter. Ask an administrator to link it.</p>;
  if (supporter.error) return <ErrorSummary errors={[{ text: supporter.error.detail ?? 'Could not load.' }]} />;
  if (!supporter.data) return <Loading />;
  return <ProfileEditor supporter={supporter.data} asAdmin={asAdmin} />;
}

function ProfileEditor({ supporter, asAdmin }: { supporter: Supporter; asAdmin?: boolean }) {
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const report = (items: ErrorItem[]) => {
    setMessage(null);
    setErrors(items);
  };
  const done = (text: string) => {
    setErrors([]);
    setMessage(text);
  };
  return (
    <>
      <ErrorSummary errors={errors} />
      {message && <Notice kind="success">{message}</Notice>}
      <PageHeading
        caption={asAdmin ? supporter.displayName : undefined}
        title={asAdmin ? `Profile of ${supporter.displayName}` : 'Your profile'}
      >
        {asAdmin ? 'Profile' : 'Your profile'}
      </PageHeading>
      <Settings supporter={supporter} errors={errors} report={report} done={done} />
      <Feed supporterId={supporter.id} report={report} done={done} />
      <CalDav supporter={supporter} errors={errors} report={report} done={done} />
    </>
  );
}

export interface Outcome {
  report: (e: ErrorItem[]) => void;
  done: (text: string) => void;
}

function Settings({ supporter, errors, report, done }: { supporter: Supporter; errors: ErrorItem[] } & Outcome) {
  const [notify, setNotify] = useState(supporter.notifyByEmail);
  const [meetingUrl, setMeetingUrl] = useState(supporter.meetingUrl ?? '');
  const [busy, setBusy] = useState(false);

  async function save(e: FormEvent) {
    e.preventDefault();
    const url = meetingUrl.trim();
    if (url && !/^https:\/\/[^\s/]+/i.test(url)) {
      report([{ id: 'meeting-url', text: 'Enter a meeting link that starts with https://' }]);
      return;
    }
    setBusy(true);
    try {
      const saved = await ok(
        api.PATCH('/api/v1/supporters/{id}', {
          params: { path: { id: supporter.id } },
          body: { active: supporter.active, notifyByEmail: notify, meetingUrl: url || null },
        }),
      );
      setNotify(saved.notifyByEmail);
      setMeetingUrl(saved.meetingUrl ?? '');
      done('Your settings are saved.');
    } catch (err) {
      report(
        problemErrors(
          problemOf(err),
          (f) => (f === 'meetingUrl' ? 'meeting-url' : f === 'notifyByEmail' ? 'notify-by-email' : undefined),
          (f) => (f === 'meetingUrl' ? 'Meeting link' : f),
        ),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={save} noValidate aria-labelledby="settings-title">
      <h2 className="heading-m" id="settings-title">
        E-mails and meeting link
      </h2>
      <Checkbox
        id="notify-by-email"
        label="E-mail me about every change to my sessions"
        hint="Each e-mail carries a calendar invite with the reference, time and how the session happens. It never names the caller."
        checked={notify}
        onChange={setNotify}
      />
      <TextInput
        id="meeting-url"
        label="Personal meeting link (optional)"
        hint="Used for your video sessions instead of a new room each time. It must start with https://"
        type="url"
        inputMode="url"
        autoComplete="url"
        spellCheck={false}
        value={meetingUrl}
        onChange={(e) => setMeetingUrl(e.target.value)}
        error={errorFor(errors, 'meeting-url')}
      />
      <button type="submit" className="button" disabled={busy}>
        Save settings
      </button>
    </form>
  );
}

function Feed({ supporterId, report, done }: { supporterId: string } & Outcome) {
  const [link, setLink] = useState<FeedLink | null>(null);
  const [copied, setCopied] = useState(false);
  const [busy, setBusy] = useState(false);
  // the new link is what the user came for: take them (and a screen reader) to it, selected for copying
  useEffect(() => {
    if (link) document.getElementById('feed-url')?.focus();
  }, [link]);

  async function create() {
    setBusy(true);
    try {
      const l = await ok(api.POST('/api/v1/supporters/{id}/calendar-feed', { params: { path: { id: supporterId } } }));
      setLink(l);
      setCopied(false);
      done('A new calendar feed link is ready. Any older link has stopped working.');
    } catch (err) {
      report(problemErrors(problemOf(err)));
    } finally {
      setBusy(false);
    }
  }

  async function revoke() {
    setBusy(true);
    try {
      await ok(api.DELETE('/api/v1/supporters/{id}/calendar-feed', { params: { path: { id: supporterId } } }));
      setLink(null);
      done('The calendar feed link has stopped working.');
    } catch (err) {
      const p = problemOf(err);
      if (p.code === 'not_found') report([{ text: 'There is no calendar feed link to stop.' }]);
      else report(problemErrors(p));
    } finally {
      setBusy(false);
    }
  }

  async function copy() {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link.url);
      setCopied(true);
    } catch {
      report([{ id: 'feed-url', text: 'The link could not be copied: select it and copy it yourself.' }]);
    }
  }

  return (
    <section aria-labelledby="feed-title">
      <h2 className="heading-m" id="feed-title">
        Calendar feed
      </h2>
      <p className="body">
        A private link your calendar app can subscribe to. It lists your confirmed sessions (reference, time and how)
        and never names the caller. Anyone with the link can read it, so keep it private.
      </p>
      {link && (
        <div data-testid="feed-link">
          <TextInput
            id="feed-url"
            label="Your calendar feed link"
            hint="It is shown only now. If you lose it, make a new one."
            readOnly
            value={link.url}
            onFocus={(e) => e.target.select()}
          />
          <p className="body">
            <button type="button" className="button button--secondary" onClick={copy}>
              Copy link
            </button>{' '}
            <a href={link.webcalUrl} className="link">
              Open in your calendar app
            </a>
          </p>
          <p className="body" role="status" aria-live="polite">
            {copied ? 'Link copied.' : ''}
          </p>
        </div>
      )}
      <p className="body">
        <button type="button" className="button button--secondary" onClick={create} disabled={busy}>
          Make a new feed link
        </button>{' '}
        <button type="button" className="button button--warning" onClick={revoke} disabled={busy}>
          Stop the feed link
        </button>
      </p>
    </section>
  );
}
