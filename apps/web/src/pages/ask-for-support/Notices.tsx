// What the "Ask for support" page shows instead of, or beside, its form.
import { useEffect, useRef } from 'react';
import { EmergencyNumbers, SupportLinePhone, telHref, useSupportLine } from '../../components/SupportLine';
import type { SupportAnswer } from './fields';

/** The acknowledgement policy's default; GET /policies needs a sign-in, so the page cannot read it. */
/** Only if the answer does not say (the API answers with the policy's figure). */
const DEFAULT_CALLBACK_WORKING_HOURS = 24;

export function UrgentHelp() {
  return (
    <div className="signposting" role="alert" data-testid="signposting">
      <h2 className="heading-m">Get help now</h2>
      <p className="body-l">
        <strong>This is not an emergency service.</strong> We cannot help you quickly enough through this page.
      </p>
      <ul className="list list--bullet">
        <li>
          <strong>Call 999 or go to A&amp;E</strong> now if you are in immediate danger or might act on thoughts of
          harming yourself.
        </li>
        <li>
          <strong>Contact NHS 111</strong> (call 111 or use 111.nhs.uk) for urgent help that is not an emergency.
        </li>
        <li>
          <strong>Contact your GP</strong> and ask for an urgent appointment.
        </li>
      </ul>
      <p className="body">
        When you are safe, you can come back to this page and ask for support from the support line.
      </p>
    </div>
  );
}

/** Shown next to the send button, where the person is looking, and focused so it is read out. */
export function TooManyRequests() {
  const ref = useRef<HTMLDivElement>(null);
  const line = useSupportLine();
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
    ref.current?.scrollIntoView({ block: 'center' });
  }, []);
  return (
    <div className="notice notice--warning" role="alert" tabIndex={-1} ref={ref} data-testid="too-many-requests">
      <h2 className="notice__title">We have had several requests from this connection</h2>
      <div className="notice__body">
        <p className="body">
          To keep the service safe we take only a few requests an hour from one connection. Please try again later, or
          phone instead:
        </p>
        <ul className="list list--bullet">
          <li>
            phone the support line
            {line?.supportLinePhone && (
              <>
                {' '}
                on <a href={telHref(line.supportLinePhone)}>{line.supportLinePhone}</a>
              </>
            )}{' '}
            and we will take your details on the call
          </li>
          <li>for urgent help that is not an emergency, call NHS 111</li>
          <li>in an emergency, call 999 or go to A&amp;E</li>
        </ul>
      </div>
    </div>
  );
}

export function RequestReceived({ answer }: { answer: SupportAnswer }) {
  const gmcText = answer.signposting?.gmcInvestigation;
  const line = useSupportLine();
  return (
    <div className="narrow">
      <div className="panel panel--confirmation" role="status" data-testid="request-received">
        <h1 className="panel__title">We have your request</h1>
        <div className="panel__body">
          <p className="panel__label">Your reference</p>
          <p
            className="reference"
            data-testid="request-reference"
            aria-label={`Your reference ${answer.reference.split('').join(' ')}`}
          >
            {answer.reference}
          </p>
        </div>
      </div>
      <h2 className="heading-m">What happens next</h2>
      <p className="body" data-testid="callback-promise">
        We will call you within {answer.callbackWorkingHours ?? DEFAULT_CALLBACK_WORKING_HOURS} working hours. We will
        also send you a text message (and an e-mail, if you gave us your address) to say that we have your request.
      </p>
      <p className="body">Keep your reference: give it to us if you phone the support line about this request.</p>
      <SupportLinePhone line={line} before="The support line's number is" />
      {gmcText && (
        <div className="notice notice--info">
          <h2 className="notice__title">If you are under GMC investigation</h2>
          <div className="notice__body">
            <p className="body">{gmcText}</p>
          </div>
        </div>
      )}
      <p className="body">
        <strong>This is not an emergency service.</strong> If you are in immediate danger, call 999 or go to A&amp;E.
        For urgent help, contact NHS 111 or your GP.
      </p>
      <EmergencyNumbers line={line} />
    </div>
  );
}
