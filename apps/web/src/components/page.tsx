import { useEffect, useRef, type ReactNode } from 'react';

/** The page's h1: it takes focus when the page opens, so screen readers announce it. */
export function PageHeading({
  children,
  caption,
  title,
}: {
  children: ReactNode;
  caption?: ReactNode;
  title?: string;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title ?? (typeof children === 'string' ? children : 'Page')} – Doctors' support line`;
    if (
      !document.activeElement ||
      document.activeElement === document.body ||
      document.activeElement.closest('nav, .header')
    )
      ref.current?.focus({ preventScroll: true });
  }, [children, title]);
  return (
    <>
      {caption && <span className="caption">{caption}</span>}
      <h1 className="heading-l" tabIndex={-1} ref={ref}>
        {children}
      </h1>
    </>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="body" role="status" aria-live="polite">
      {what}…
    </p>
  );
}

export function Notice({
  children,
  kind = 'info',
  title,
}: {
  children: ReactNode;
  kind?: 'info' | 'success' | 'warning';
  title?: ReactNode;
}) {
  return (
    <div className={`notice notice--${kind}`} role={kind === 'success' ? 'status' : undefined}>
      {title && <h2 className="notice__title">{title}</h2>}
      <div className="notice__body">{children}</div>
    </div>
  );
}

export function Tag({ children, tone = 'grey' }: { children: ReactNode; tone?: 'grey' | 'accent' | 'strong' }) {
  return <strong className={`tag tag--${tone}`}>{children}</strong>;
}

const LABELS: Record<string, string> = {
  peer_support: 'Peer support',
  counselling: 'Counselling',
  open: 'Open',
  assigned: 'Assigned',
  booked: 'Booked',
  closed: 'Closed',
  signposted: 'Signposted',
  withdrawn: 'Withdrawn',
  confirmed: 'Confirmed',
  cancelled: 'Cancelled',
  completed: 'Completed',
  no_show: 'No-show',
  phone: 'Phone',
  video: 'Video',
  web: 'Web',
  peer: 'Peer',
  counsellor: 'Counsellor',
  doctor: 'Doctor',
  medical_student: 'Medical student',
  admin: 'Admin',
  intake: 'Intake',
  supporter: 'Supporter',
};
export function label(v: string | null | undefined): string {
  if (!v) return '';
  return LABELS[v] ?? v;
}

/** An h2 that takes focus when it appears (a new step inside a page). */
export function FocusedHeading({ id, children }: { id: string; children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h2 className="heading-m" id={id} tabIndex={-1} ref={ref}>
      {children}
    </h2>
  );
}
