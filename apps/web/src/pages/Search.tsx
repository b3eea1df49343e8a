import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api-clients';
import { ok, problemOf, type Problem } from '../api/client';
import type { SearchResult } from '../api/types';
import { CallerWork } from '../components/CallerHits';
import { ErrorSummary, TextInput } from '../components/forms';
import { Loading, PageHeading } from '../components/page';
import { Link, navigate, useLocation } from '../router';

const KIND_TEXT = { reference: 'reference', phone: 'phone number', name: 'name' } as const;

/** One search box: a reference (PS-…, RQ-…), a phone number in any spelling, or a name. */
export function SearchPage() {
  const { query } = useLocation();
  const q = query.get('q') ?? '';
  const [text, setText] = useState(q);
  const [result, setResult] = useState<SearchResult | null>(null);
  const [error, setError] = useState<Problem | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    setText(q);
    if (!q.trim()) {
      setResult(null);
      setError(null);
      return;
    }
    let live = true;
    setLoading(true);
    ok(api.GET('/api/v1/search', { params: { query: { q } } })).then(
      (r) => {
        if (!live) return;
        setResult(r);
        setError(null);
        setLoading(false);
      },
      (err) => {
        if (!live) return;
        setResult(null);
        setError(problemOf(err));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [q]);

  function submit(e: FormEvent) {
    e.preventDefault();
    navigate(`/search?q=${encodeURIComponent(text.trim())}`);
  }

  const fieldError = error?.errors?.find((x) => x.field === 'q')?.message;
  return (
    <>
      <PageHeading>Search</PageHeading>
      {error && (
        <ErrorSummary
          errors={[
            {
              text: fieldError ? `Search ${fieldError}` : (error.detail ?? 'The search failed.'),
              id: fieldError ? 'q' : undefined,
            },
          ]}
          focusKey={q}
        />
      )}
      <form
        role="search"
        aria-label="Callers, intakes and bookings"
        onSubmit={submit}
        className="search-form"
        noValidate
      >
        <TextInput
          id="q"
          label="Reference, phone number or name"
          hint="For example PS-7K3Q-9D, RQ-7K3Q-9D, 07700 900123 or a name (at least 3 letters)"
          value={text}
          autoComplete="off"
          spellCheck={false}
          maxLength={100}
          onChange={(e) => setText(e.target.value)}
          error={fieldError ? `Search ${fieldError}` : undefined}
        />
        <button type="submit" className="button">
          Search
        </button>
      </form>
      {loading && <Loading what="Searching" />}
      {result && !loading && (
        <section aria-labelledby="results-heading" data-testid="search-results">
          <h2 className="heading-m" id="results-heading" aria-live="polite">
            {result.results.length === 0
              ? `Nobody found by that ${KIND_TEXT[result.kind]}`
              : `${result.results.length} ${result.results.length === 1 ? 'caller' : 'callers'} found by ${KIND_TEXT[result.kind]}`}
          </h2>
          {result.results.map((hit) => (
            <article key={hit.caller.id} className="card" aria-labelledby={`hit-${hit.caller.id}`}>
              <h3 className="heading-s" id={`hit-${hit.caller.id}`}>
                <Link href={`/callers/${hit.caller.id}`}>{hit.caller.name ?? 'Caller (erased)'}</Link>
              </h3>
              <p className="body">
                {hit.caller.phone && <a href={`tel:${hit.caller.phone}`}>{hit.caller.phone}</a>}
                {hit.caller.email && <> · {hit.caller.email}</>}
                {hit.caller.lastSupporter && <> · last supported by {hit.caller.lastSupporter.displayName}</>}
              </p>
              {hit.matchedBooking && (
                <p className="body">
                  Booking {hit.matchedBooking.reference}: {hit.matchedBooking.status}.{' '}
                  <Link href={`/intakes/${hit.matchedBooking.intakeId}`}>Its intake</Link>
                </p>
              )}
              <CallerWork hit={hit} headingLevel={4} />
            </article>
          ))}
        </section>
      )}
    </>
  );
}
