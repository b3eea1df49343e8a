/**
 * The privacy notice as intake staff read it out before asking for consent:
 * what is recorded, why, who sees it, how long it is kept and the caller's
 * rights. Kept short enough to read on a call; the same promises the API keeps
 * (the audit trail, export, erasure, RETENTION_YEARS).
 */
export function PrivacyNoticeScript() {
  return (
    <div className="inset-text" data-testid="privacy-notice-script">
      <p className="body">
        <strong>Read this to the caller:</strong>
      </p>
      <p className="body">
        &ldquo;Before I take your details: we record your name, phone number, e-mail if you give it, your role, and the
        preferences you tell us, so that we can match you with a supporter, book your sessions and send you
        confirmations. Only the support line&apos;s staff and your supporter see them, and every look at your record is
        logged. We do not share them with your employer or the GMC. We keep them until 20 years after we last hear from
        you, then delete them. You can ask for a copy of everything we hold, or ask us to delete it, at any time. Do you
        agree to us keeping your details on that basis?&rdquo;
      </p>
    </div>
  );
}
