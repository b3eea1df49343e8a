// Step 1 of a new call: the risk question, asked before anything else, and what to read out on a Yes.
import { useState } from 'react';
import { YesNoRadios, type YesNo } from '../../components/CallerFields';
import { IMMEDIATE_DANGER_SCRIPT } from '../../signposting';

export function RiskStep({
  risk,
  onChange,
  error,
}: {
  risk: YesNo | '';
  onChange: (v: YesNo) => void;
  error?: string;
}) {
  const [confirmNo, setConfirmNo] = useState(false);

  // Yes to the risk question is the answer that matters most: taking it back is confirmed, never a slip.
  function changeRisk(v: YesNo) {
    if (risk === 'yes' && v === 'no') setConfirmNo(true);
    else onChange(v);
  }

  return (
    <section aria-labelledby="step-risk" className="step">
      <h2 className="heading-m" id="step-risk">
        1. Safety first
      </h2>
      <YesNoRadios
        id="risk"
        large
        legend="Is the caller in immediate danger, or might they act on thoughts of harming themselves?"
        hint="Ask this before anything else."
        value={risk}
        onChange={changeRisk}
        error={error}
      />
      {confirmNo && (
        <div
          className="notice notice--warning"
          role="alertdialog"
          aria-labelledby="confirm-no-title"
          data-testid="confirm-risk-no"
        >
          <h3 className="notice__title" id="confirm-no-title">
            Change the answer to No?
          </h3>
          <p className="body">
            You answered Yes: the caller may be in immediate danger. Change it only if the caller has told you they are
            safe.
          </p>
          <div className="button-group">
            <button
              type="button"
              className="button button--warning"
              autoFocus
              onClick={() => {
                setConfirmNo(false);
                onChange('no');
              }}
            >
              Yes, change to No
            </button>
            <button type="button" className="button button--secondary" onClick={() => setConfirmNo(false)}>
              Keep Yes
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

/** Read out on a Yes, in place of the rest of the form. */
export function DangerScript() {
  return (
    <div className="signposting" role="alert" data-testid="signposting">
      <h2 className="heading-m">Read this to the caller now</h2>
      {IMMEDIATE_DANGER_SCRIPT.map((line) => (
        <p className="body-l" key={line}>
          {line}
        </p>
      ))}
      <ul className="list list--bullet">
        <li>
          <strong>999 or A&amp;E</strong> – in immediate danger
        </li>
        <li>
          <strong>NHS 111</strong> – urgent help that is not an emergency
        </li>
        <li>
          <strong>Their GP</strong>
        </li>
      </ul>
      <p className="body">
        Do not book a session. Stay with the caller until they have agreed to contact one of these.
      </p>
    </div>
  );
}
