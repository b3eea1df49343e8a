// Step 2 of a new call: who is calling, with the callers already on record under the number typed so far.
import type { SearchHit } from '../../api/types';
import { CallerWork } from '../../components/CallerHits';
import { RoleRadios, ServiceRadios } from '../../components/CallerFields';
import { TextInput, errorFor, type ErrorItem } from '../../components/forms';
import { TimeZoneSelect } from '../../components/TimeZoneSelect';
import type { NewCallFields, SetField } from './fields';

export function CallerStep({
  f,
  set,
  errors,
  lookup,
}: {
  f: NewCallFields;
  set: SetField;
  errors: ErrorItem[];
  lookup: SearchHit[];
}) {
  return (
    <section aria-labelledby="step-caller" className="step">
      <h2 className="heading-m" id="step-caller">
        2. Who is calling
      </h2>
      <TextInput
        id="phone"
        label="Phone number"
        hint="We look the caller up as you type."
        type="tel"
        autoComplete="off"
        width="medium"
        value={f.phone}
        onChange={(e) => set('phone', e.target.value)}
        error={errorFor(errors, 'phone')}
      />
      <CalledBefore lookup={lookup} set={set} />
      <ServiceRadios
        id="service"
        legend="Which service does the caller want?"
        hints={{
          peer_support: 'Talk to another doctor, within sociable hours',
          counselling: 'A course of sessions with a counsellor, any time',
        }}
        value={f.service}
        onChange={(v) => set('service', v)}
        error={errorFor(errors, 'service')}
      />
      <TextInput
        id="name"
        label="Name"
        autoComplete="off"
        value={f.name}
        onChange={(e) => set('name', e.target.value)}
        error={errorFor(errors, 'name')}
      />
      <TextInput
        id="email"
        label="E-mail address (optional)"
        hint="For the confirmation and calendar invite."
        type="email"
        autoComplete="off"
        spellCheck={false}
        value={f.email}
        onChange={(e) => set('email', e.target.value)}
        error={errorFor(errors, 'email')}
      />
      <RoleRadios
        id="role"
        legend="The caller is a"
        value={f.role}
        onChange={(v) => set('role', v)}
        error={errorFor(errors, 'role')}
      />
      <div className="grid-2">
        <TextInput
          id="specialty"
          label="Specialty (optional)"
          value={f.specialty}
          onChange={(e) => set('specialty', e.target.value)}
          error={errorFor(errors, 'specialty')}
        />
        <TextInput
          id="workplace"
          label="Workplace (optional)"
          hint="We never match them with someone who works there."
          value={f.workplace}
          onChange={(e) => set('workplace', e.target.value)}
          error={errorFor(errors, 'workplace')}
        />
      </div>
      <div className="grid-2">
        <TimeZoneSelect
          id="timeZone"
          label="Caller's time zone"
          hint="Times are offered in the caller's local time."
          value={f.timeZone}
          onChange={(v) => set('timeZone', v)}
          error={errorFor(errors, 'timeZone')}
        />
        <div className="grid-2">
          <TextInput
            id="gender"
            label="Gender (optional)"
            value={f.gender}
            onChange={(e) => set('gender', e.target.value)}
            error={errorFor(errors, 'gender')}
          />
          <TextInput
            id="age"
            label="Age (optional)"
            inputMode="numeric"
            width="short"
            value={f.age}
            onChange={(e) => set('age', e.target.value)}
            error={errorFor(errors, 'age')}
          />
        </div>
      </div>
    </section>
  );
}

/** Read out as it changes; "Use these details" copies a known caller's name and e-mail into the form. */
function CalledBefore({ lookup, set }: { lookup: SearchHit[]; set: SetField }) {
  return (
    <div aria-live="polite" data-testid="caller-lookup">
      {lookup.length > 0 && (
        <div className="notice notice--info">
          <h3 className="notice__title">Called before</h3>
          {lookup.map(({ caller: c, ...work }) => (
            <div key={c.id} className="lookup-item">
              <p className="body">
                <strong>{c.name ?? 'Name erased'}</strong>
                {c.email && <> · {c.email}</>}
                {c.lastSupporter && <> · last supported by {c.lastSupporter.displayName}</>}
              </p>
              <CallerWork hit={{ caller: c, ...work }} headingLevel={4} />
              <button
                type="button"
                className="button button--secondary button--small"
                onClick={() => {
                  if (c.name) set('name', c.name);
                  if (c.email) set('email', c.email);
                }}
              >
                Use these details<span className="visually-hidden"> for {c.name}</span>
              </button>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
