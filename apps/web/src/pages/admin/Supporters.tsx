import { api } from '../../api-clients';
import { ok } from '../../api/client';
import { ErrorSummary } from '../../components/forms';
import { Loading, PageHeading, Tag, label } from '../../components/page';
import { useLoad } from '../../hooks';
import { Link } from '../../router';

export function SupportersPage() {
  const list = useLoad(() => ok(api.GET('/api/v1/supporters')).then((r) => r.supporters), []);
  return (
    <>
      <PageHeading caption="Admin">Supporters</PageHeading>
      <p className="body">
        <Link href="/admin/supporters/new" className="button">
          Add a supporter
        </Link>
      </p>
      {list.error && <ErrorSummary errors={[{ text: list.error.detail ?? 'The supporters could not be loaded.' }]} />}
      {list.loading && !list.data && <Loading what="Loading supporters" />}
      {list.data && (
        <table className="table" data-testid="supporters">
          <caption className="visually-hidden">All supporters</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Time zone</th>
              <th scope="col">Languages</th>
              <th scope="col">Cases up to</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {[...list.data]
              .sort((a, b) => a.displayName.localeCompare(b.displayName))
              .map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link href={`/admin/supporters/${s.id}`}>{s.displayName}</Link>
                  </td>
                  <td>{label(s.kind)}</td>
                  <td>{s.timeZone}</td>
                  <td>{s.languages.join(', ')}</td>
                  <td>{s.maxActiveCases}</td>
                  <td>{s.active ? <Tag tone="accent">Active</Tag> : <Tag>Inactive</Tag>}</td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
    </>
  );
}
